import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Admin } from 'kafkajs';
import { KafkaStreams, StreamsError, Topology, Serdes, StreamsBuilder } from '../../../src/index.js';
import { brokers, eventually, kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

function passThrough(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder.stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).to(output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  return builder.build();
}

interface TestApp {
  readonly applicationId: string;
  readonly stateDir: string;
  /** The topics created for the test, in the order of their partition counts. */
  readonly topics: readonly string[];
  readonly admin: Admin;
}

/**
 * Creates one topic per entry of `partitions` (unique names), runs `body` with a unique application id and state
 * directory, then deletes those topics, the application's own and the directory.
 */
async function withApp(prefix: string, partitions: readonly number[], body: (app: TestApp) => Promise<void>): Promise<void> {
  const client = kafka();
  const applicationId = uniqueName(`${prefix}-app`);
  const topics = partitions.map((_, i) => uniqueName(`${prefix}-${i}`));
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  try {
    if (topics.length > 0) await admin.createTopics({ topics: topics.map((topic, i) => ({ topic, numPartitions: partitions[i]! })), waitForLeaders: true });
    await body({ applicationId, stateDir, topics, admin });
  } finally {
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: topics });
    removeDir(stateDir);
  }
}

test('a missing source topic fails start() with MISSING_SOURCE_TOPIC and leaves the client in ERROR', async () => {
  const stateDir = tempStateDir();
  const missing = uniqueName('missing-input');
  const streams = new KafkaStreams(passThrough(missing, uniqueName('out')), streamsConfig(uniqueName('missing-app'), stateDir));
  try {
    await assert.rejects(streams.start(), (error: unknown) => error instanceof StreamsError && error.code === 'MISSING_SOURCE_TOPIC' && error.message.includes(missing));
    assert.equal(streams.state(), 'ERROR');
  } finally {
    await streams.close();
    removeDir(stateDir);
  }
});

test('source topics of one sub-topology with different partition counts fail start() with COPARTITIONING_MISMATCH', () =>
  withApp('copart', [2, 3], async ({ applicationId, stateDir, topics: [left, right] }) => {
    const topology = new Topology()
      .addSource('both', [left!, right!], { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .addProcessor('noop', () => ({ process: () => undefined }), 'both');
    const streams = new KafkaStreams(topology, streamsConfig(applicationId, stateDir));
    try {
      await assert.rejects(streams.start(), (error: unknown) => {
        return error instanceof StreamsError && error.code === 'COPARTITIONING_MISMATCH' && error.message.includes(`${left} (2)`) && error.message.includes(`${right} (3)`);
      });
      assert.equal(streams.state(), 'ERROR');
    } finally {
      await streams.close();
    }
  }));

test('a second instance on the same state directory is refused with STATE_DIR_LOCKED; a dead process\'s lock is taken over', () =>
  withApp('lock', [1, 1], async ({ applicationId, stateDir, topics: [input, output] }) => {
    const first = new KafkaStreams(passThrough(input!, output!), streamsConfig(applicationId, stateDir));
    const second = new KafkaStreams(passThrough(input!, output!), streamsConfig(applicationId, stateDir));
    try {
      await first.start();
      await awaitState(first, 'RUNNING');
      await assert.rejects(second.start(), (error: unknown) => error instanceof StreamsError && error.code === 'STATE_DIR_LOCKED' && error.message.includes(String(process.pid)));
      assert.equal(second.state(), 'CREATED');
      assert.throws(() => second.cleanUp(), (error: unknown) => error instanceof StreamsError && error.code === 'STATE_DIR_LOCKED');
      await first.close();

      const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
      mkdirSync(join(stateDir, applicationId), { recursive: true });
      writeFileSync(join(stateDir, applicationId, '.lock'), String(deadPid));
      await second.start();
      await awaitState(second, 'RUNNING');
    } finally {
      await first.close();
      await second.close();
    }
  }));

test('a changelog left with another partition count than the topology needs fails start() with INTERNAL_TOPIC_MISMATCH naming it', () =>
  withApp('internal', [2], async ({ applicationId, stateDir, topics: [input], admin }) => {
    const builder = new StreamsBuilder();
    builder.stream(input!, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).groupByKey().count({ storeName: 'counts' });
    const changelog = `${applicationId}-counts-changelog`;
    await admin.createTopics({ topics: [{ topic: changelog, numPartitions: 3 }], waitForLeaders: true });
    const streams = new KafkaStreams(builder.build(), streamsConfig(applicationId, stateDir));
    try {
      await assert.rejects(streams.start(), (error: unknown) => {
        return error instanceof StreamsError && error.code === 'INTERNAL_TOPIC_MISMATCH' && error.coordinates.topic === changelog && /has 3 partitions, the topology needs 2/.test(error.message);
      });
      assert.equal(streams.state(), 'ERROR');
    } finally {
      await streams.close();
    }
  }));

test('a missing sink topic fails start() with MISSING_SINK_TOPIC naming it, instead of stalling the first send', () =>
  withApp('sink', [1], async ({ applicationId, stateDir, topics: [input], admin }) => {
    const missing = uniqueName('missing-output');
    const streams = new KafkaStreams(passThrough(input!, missing), streamsConfig(applicationId, stateDir));
    try {
      await assert.rejects(streams.start(), (error: unknown) => error instanceof StreamsError && error.code === 'MISSING_SINK_TOPIC' && error.message.includes(missing));
      assert.equal(streams.state(), 'ERROR');
      assert.deepEqual((await admin.listTopics()).filter((t) => t.startsWith(applicationId)), [], 'nothing was created');
    } finally {
      await streams.close();
    }
  }));

/** A port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const indexModule = new URL('../../../src/index.ts', import.meta.url).href;

/** Runs `body` (an async function body with `KafkaStreams` and friends in scope) in a child process. */
function runChild(body: string, args: readonly string[]) {
  const script = `import { KafkaStreams, Serdes, StreamsBuilder } from '${indexModule}';\nconst [, ...args] = process.argv;\n${body}`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function collect(stream: NodeJS.ReadableStream): { text: string } {
  const output = { text: '' };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (output.text += chunk));
  return output;
}

test('a wrong bootstrap address fails start() with BROKER_UNAVAILABLE naming the setting and the address; without a logger it is on stderr', async () => {
  const address = `127.0.0.1:${await closedPort()}`;
  const stateDir = tempStateDir();
  const child = runChild(
    `
    const [address, stateDir] = args;
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: Serdes.String(), valueSerde: Serdes.String() }).to('out');
    const streams = new KafkaStreams(builder.build(), { applicationId: 'unreachable', bootstrapServers: address, stateDir, client: process.env.KSTREAMS_CLIENT });
    try {
      await streams.start();
    } catch (error) {
      console.log(JSON.stringify({ code: error.code, message: error.message, state: streams.state() }));
    }
    `,
    [address, stateDir],
  );
  const [stdout, stderr] = [collect(child.stdout), collect(child.stderr)];
  try {
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, stderr.text);
    const outcome = JSON.parse(stdout.text) as { code: string; message: string; state: string };
    assert.equal(outcome.code, 'BROKER_UNAVAILABLE');
    assert.match(outcome.message, /bootstrapServers/);
    assert.ok(outcome.message.includes(address), outcome.message);
    assert.equal(outcome.state, 'ERROR');
    const logged = stderr.text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string; error?: string });
    assert.ok(logged.some((l) => l.level === 50 && l.msg === 'start failed' && l.error?.includes('bootstrapServers') === true), stderr.text);
  } finally {
    removeDir(stateDir);
  }
});

test('installShutdownHook: SIGTERM closes a running client cleanly, releases the state directory and exits with code 0', () =>
  withApp('hook', [1, 1], async ({ applicationId, stateDir, topics: [input, output] }) => {
    const child = runChild(
      `
      const [input, output, applicationId, stateDir, servers] = args;
      const builder = new StreamsBuilder();
      builder.stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).to(output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
      const streams = new KafkaStreams(builder.build(), { applicationId, bootstrapServers: servers, stateDir, installShutdownHook: true, client: process.env.KSTREAMS_CLIENT });
      streams.setStateListener((state) => console.log(state));
      setInterval(() => {}, 1_000); // a server that would keep the process alive
      await streams.start();
      `,
      [input!, output!, applicationId, stateDir, brokers().join(',')],
    );
    const [stdout, stderr] = [collect(child.stdout), collect(child.stderr)];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await eventually('the child is RUNNING', () => stdout.text.includes('RUNNING'), 60_000);
      assert.equal(existsSync(join(stateDir, applicationId, '.lock')), true);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr.text);
      assert.deepEqual(stdout.text.trim().split('\n').slice(-2), ['PENDING_SHUTDOWN', 'NOT_RUNNING']);
      assert.equal(existsSync(join(stateDir, applicationId, '.lock')), false, 'the lock is released');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }));
