import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

function kstreams(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The broker is never reached: each of these fails on its options first. The broker runs are in test/integration/cli. */
describe('kstreams reset, without a broker', () => {
  it('--help lists the options of Kafka’s reset tool and exits 0', () => {
    const result = kstreams('reset', '--help');
    assert.equal(result.status, 0);
    for (const option of ['--application-id', '--bootstrap-servers', '--input-topics', '--to-earliest', '--to-latest', '--to-datetime', '--by-duration', '--state-dir', '--dry-run']) {
      assert.ok(result.stdout.includes(option), option);
    }
  });

  const base = ['reset', '--application-id', 'app', '--bootstrap-servers', '127.0.0.1:1'];
  for (const [what, args, expected] of [
    ['two targets', [...base, '--to-earliest', '--by-duration', 'PT1H'], /^error: option '--to-earliest' cannot be used with option '--by-duration <duration>'\n$/],
    ['a duration that is not ISO-8601', [...base, '--by-duration', '1h'], /^kstreams: config "--by-duration": must be an ISO-8601 duration like PT1H .*, got "1h"\n$/],
    ['a date-time that is not ISO-8601', [...base, '--to-datetime', 'yesterday'], /^kstreams: config "--to-datetime": must be an ISO-8601 date-time .*, got "yesterday"\n$/],
    ['no application id', ['reset', '--bootstrap-servers', '127.0.0.1:1'], /^error: required option '--application-id <id>' not specified\n$/],
    ['an unknown client', [...base, '--client', 'rdkafka'], /^error: option '--client <name>' argument 'rdkafka' is invalid/],
  ] as const) {
    it(`refuses ${what} with one line and exit code 2`, () => {
      const result = kstreams(...args);
      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, expected);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1);
    });
  }
});
