import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { brokers, eventually, kafka, uniqueName } from '../support/broker.js';
import { awaitFinalCounts, deleteTopics, expectedCounts, produceLines, removeDir, tempStateDir } from './streams-support.js';

test('kstreams run starts a module\'s topology with its config, prints state changes, and closes cleanly on SIGINT', async () => {
  const client = kafka();
  const applicationId = uniqueName('cli-run-app');
  const input = uniqueName('cli-run-in');
  const output = uniqueName('cli-run-out');
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 1 }], waitForLeaders: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', 'test/integration/support/cli-word-count-app.ts'], {
    env: { ...process.env, KAFKA_BROKERS: brokers().join(','), CLI_APP_ID: applicationId, CLI_APP_INPUT: input, CLI_APP_OUTPUT: output, CLI_APP_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    await eventually(() => `the app RUNNING (stdout: ${stdout}, stderr: ${stderr})`, () => stdout.includes('-> RUNNING'), 60_000);
    const lines = ['the quick brown fox', 'jumps over the lazy dog', 'the end'];
    await produceLines(client, input, lines.map((value, i) => ({ key: `line-${i}`, value })));
    await awaitFinalCounts(output, expectedCounts(lines));
    child.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 0, `stderr: ${stderr}`);
    assert.match(stdout, /^kstreams: CREATED -> REBALANCING$/m);
    assert.match(stdout, /^kstreams: PENDING_SHUTDOWN -> NOT_RUNNING$/m);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    removeDir(stateDir);
  }
});
