import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildQueryableClicksTopology, CLICKS_TOPIC, TOTAL_STORE } from '../../../examples/queryable-clicks.js';
import { KafkaStreams } from '../../../src/runtime/app/kafka-streams.js';
import { InMemoryKafkaCluster } from '../../../src/testing/index.js';
import { freePorts } from '../runtime/queries/free-ports.js';

/** Runs the CLI as a child (asynchronously: the instance it asks runs in this process). */
function kstreams(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

test('kstreams query asks a running instance for a key and for SQL, and reports a missing store with exit code 1', async () => {
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic(CLICKS_TOPIC, 2);
  const [port] = await freePorts(1);
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-cli-query-'));
  const config = { applicationId: 'cli-query', stateDir, commitIntervalMs: 10, logLevel: 'silent', applicationServer: `127.0.0.1:${port}`, queryServer: { port: port!, host: '127.0.0.1' } } as const;
  const streams = new KafkaStreams(buildQueryableClicksTopology(), config, { client: cluster.client() });
  try {
    cluster.produce(CLICKS_TOPIC, [{ key: 'ada', value: '/a' }, { key: 'ada', value: '/b' }, { key: 'bob', value: '/a' }]);
    await streams.start();
    const server = `127.0.0.1:${port}`;
    for (let total = 0; total < 3; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      total = [...(streams.store<string, number>(TOTAL_STORE)?.all() ?? [])].reduce((sum, kv) => sum + kv.value, 0);
    }
    const key = await kstreams('query', '--server', server, '--store', TOTAL_STORE, '--key', 'ada');
    assert.equal(key.status, 0, key.stderr);
    assert.equal((JSON.parse(key.stdout) as { value: unknown }).value, 2);
    const sql = await kstreams('query', '--server', server, '--sql', `select key, value from "${TOTAL_STORE}" order by key`);
    assert.equal(sql.status, 0, sql.stderr);
    assert.deepEqual((JSON.parse(sql.stdout) as { rows: unknown }).rows, [{ key: 'ada', value: 2 }, { key: 'bob', value: 1 }]);
    const missing = await kstreams('query', '--server', server, '--store', 'no-such-store', '--key', 'ada');
    assert.equal(missing.status, 1);
    const usage = await kstreams('query', '--server', server, '--windows');
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--windows needs --store|--key and --windows need --store/);
  } finally {
    await streams.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
