import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KafkaStreams, StreamsError, Topology, Serdes, StreamsBuilder } from '../../../src/index.js';
import { kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

function passThrough(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder.stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).to(output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  return builder.build();
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

test('source topics of one sub-topology with different partition counts fail start() with COPARTITIONING_MISMATCH', async () => {
  const client = kafka();
  const [left, right] = [uniqueName('copart-left'), uniqueName('copart-right')];
  const applicationId = uniqueName('copart-app');
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: left, numPartitions: 2 }, { topic: right, numPartitions: 3 }], waitForLeaders: true });
  const topology = new Topology()
    .addSource('both', [left, right], { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .addProcessor('noop', () => ({ process: () => undefined }), 'both');
  const streams = new KafkaStreams(topology, streamsConfig(applicationId, stateDir));
  try {
    await assert.rejects(streams.start(), (error: unknown) => {
      return error instanceof StreamsError && error.code === 'COPARTITIONING_MISMATCH' && error.message.includes(`${left} (2)`) && error.message.includes(`${right} (3)`);
    });
    assert.equal(streams.state(), 'ERROR');
  } finally {
    await streams.close();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [left, right] });
    removeDir(stateDir);
  }
});

test('a second instance on the same state directory is refused with STATE_DIR_LOCKED; a dead process\'s lock is taken over', async () => {
  const client = kafka();
  const [input, output] = [uniqueName('lock-input'), uniqueName('lock-output')];
  const applicationId = uniqueName('lock-app');
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1 }], waitForLeaders: true });
  const first = new KafkaStreams(passThrough(input, output), streamsConfig(applicationId, stateDir));
  const second = new KafkaStreams(passThrough(input, output), streamsConfig(applicationId, stateDir));
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
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    removeDir(stateDir);
  }
});
