import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { GOLDEN_TEXT } from '../topology/golden-topology.js';

function kstreams(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const fixture = (name: string) => `test/unit/cli/fixtures/${name}`;

describe('kstreams describe', () => {
  it('prints the text description of a default-exported Topology', () => {
    const result = kstreams('describe', fixture('default-topology.ts'));
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.equal(result.stdout, 'Topologies:\n   Sub-topology: 0\n    Source: in (topics: [input])\n      --> out\n    Sink: out (topic: output)\n      <-- in\n\n');
  });

  it('calls an async function exported as "topology"', () => {
    const result = kstreams('describe', fixture('async-function.ts'));
    assert.equal(result.status, 0);
    assert.equal(result.stdout, GOLDEN_TEXT);
  });

  it('builds a StreamsBuilder-like export from a .js module, as JSON and as Mermaid', () => {
    const json = kstreams('describe', fixture('builder.js'), '--format', 'json');
    assert.equal(json.status, 0);
    assert.deepEqual(JSON.parse(json.stdout).subtopologies[0].nodes[0], {
      type: 'source',
      name: 'from-builder',
      topics: ['builder-input'],
      successors: ['to-output'],
      predecessors: [],
    });
    const mermaid = kstreams('describe', fixture('builder.js'), '--format', 'mermaid');
    assert.equal(mermaid.status, 0);
    assert.match(mermaid.stdout, /^flowchart TD\n/);
  });

  for (const [name, expected] of [
    ['missing.ts', /^kstreams: cannot load test\/unit\/cli\/fixtures\/missing\.ts: no such file\n$/],
    ['no-topology.ts', /^kstreams: test\/unit\/cli\/fixtures\/no-topology\.ts exports no topology: .*\n$/],
    ['throws-while-building.ts', /^kstreams: building the topology of test\/unit\/cli\/fixtures\/throws-while-building\.ts failed: TopologyError: Parent missing-parent of orphan is not added yet.*\n$/],
  ] as const) {
    it(`fails with one line on stderr and exit code 1 for ${name}`, () => {
      const result = kstreams('describe', fixture(name));
      assert.equal(result.status, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, expected);
      assert.equal(result.stderr.split('\n').length, 2);
    });
  }

  it('rejects an unknown format', () => {
    const result = kstreams('describe', fixture('default-topology.ts'), '--format', 'xml');
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /xml/);
  });
});

describe('kstreams diff', () => {
  it('passes an unchanged topology with exit code 0', () => {
    const result = kstreams('diff', fixture('counts-v1.ts'), fixture('counts-v1.ts'));
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.equal(result.stdout, 'no changes to stores or repartition topics\n');
  });

  it('flags a renamed store and a changed window size with exit code 1, as text and as JSON', () => {
    const text = kstreams('diff', fixture('counts-v1.ts'), fixture('counts-v2-renamed.ts'));
    assert.equal(text.status, 1);
    assert.match(text.stdout, /^LOSES STATE {2}store clicks-per-user is gone: .*renamed to user-clicks\?/m);
    assert.match(text.stdout, /^LOSES STATE {2}store clicks-per-page changes its window size from 60000 ms to 300000 ms/m);
    assert.match(text.stdout, /2 change\(s\) lose state/);
    const json = kstreams('diff', fixture('counts-v1.ts'), fixture('counts-v2-renamed.ts'), '--format', 'json');
    assert.equal(json.status, 1);
    assert.deepEqual(JSON.parse(json.stdout).changes.map((c: { severity: string; subject: string }) => `${c.severity} ${c.subject}`), ['loses-state clicks-per-user', 'loses-state clicks-per-page', 'safe user-clicks']);
  });
});

describe('kstreams, the program', () => {
  it('--version prints the package version', () => {
    const result = kstreams('--version');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('keeps what a module prints while it loads off stdout, so that describe --format json stays JSON', () => {
    const result = kstreams('describe', fixture('noisy-module.ts'), '--format', 'json');
    assert.equal(result.status, 0);
    assert.equal(JSON.parse(result.stdout).subtopologies[0].nodes[0].topics[0], 'noisy-in');
    assert.match(result.stderr, /connecting to the database…\nbuilding the topology\n/);
  });
});
