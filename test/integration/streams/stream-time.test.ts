import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KafkaStreams,
  LATE_RECORD_HEADERS,
  Serdes,
  Topology,
  type ProcessingGuarantee,
  type ProcessorContext,
  type Record,
} from '../../../src/index.js';
import { decodePartitionTime } from '../../../src/runtime/tasks/partition-time-metadata.js';
import { consumeUntil } from '../support/consume.js';
import { kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

/** Forwards records at or after stream time; drops older ones as late (no grace), as a closed window would. */
function lateCheckTopology(input: string, output: string): Topology {
  const lateCheck = () => {
    let context: ProcessorContext<string, string>;
    return {
      init: (ctx: ProcessorContext<string, string>) => void (context = ctx),
      process: (record: Record<string, string>) => {
        if (record.timestamp < context.currentStreamTimeMs()) context.recordDropped?.('lateRecord');
        else context.forward(record);
      },
    };
  };
  const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
  return new Topology().addSource('in', input, strings).addProcessor('late-check', lateCheck, 'in').addSink('out', output, strings, 'late-check');
}

for (const processingGuarantee of ['exactly_once', 'at_least_once'] as const satisfies readonly ProcessingGuarantee[]) {
  test(`${processingGuarantee}: partition time is committed with the offset, so a restarted task still drops what was late`, async () => {
    const client = kafka();
    const input = uniqueName('st-input');
    const output = uniqueName('st-output');
    const lateRecordsTopic = uniqueName('st-late');
    const applicationId = uniqueName('st-app');
    const stateDirs = [tempStateDir(), tempStateDir()];
    const admin = client.admin();
    await admin.connect();
    const producer = client.producer();
    await producer.connect();
    const produce = (key: string, timestamp: number) => producer.send({ topic: input, messages: [{ key, value: key, timestamp: String(timestamp) }] });
    // The runtime does not create the late-records topic (the dead-letter topic it does).
    await admin.createTopics({ topics: [input, output, lateRecordsTopic].map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
    const start = async (stateDir: string) => {
      // A short commit interval: at-least-once output is sent at commits (30 s apart by default).
      const streams = new KafkaStreams(lateCheckTopology(input, output), streamsConfig(applicationId, stateDir, { processingGuarantee, lateRecordsTopic, commitIntervalMs: 200 }));
      await streams.start();
      await awaitState(streams, 'RUNNING');
      return streams;
    };
    let streams: KafkaStreams | undefined;
    try {
      streams = await start(stateDirs[0]!);
      await produce('a', 10_000);
      await consumeUntil(output, (m) => m.length >= 1);
      await streams.close();
      streams = undefined;

      const [committed] = await admin.fetchOffsets({ groupId: applicationId, topics: [input] });
      assert.equal(committed?.partitions[0]?.offset, '1');
      assert.equal(decodePartitionTime(committed?.partitions[0]?.metadata ?? null), 10_000, 'partition time in the offset metadata');

      // A fresh state directory: the task moves to an instance that has nothing of it but the committed offset.
      streams = await start(stateDirs[1]!);
      await produce('b', 5_000);
      await produce('c', 20_000);
      const forwarded = await consumeUntil(output, (m) => m.length >= 2);
      assert.deepEqual(forwarded.map((m) => m.key), ['a', 'c']);
      const [late] = await consumeUntil(lateRecordsTopic, (m) => m.length >= 1);
      assert.equal(late?.key, 'b');
      assert.equal(late?.headers[LATE_RECORD_HEADERS.offset], '1');
      assert.equal(late?.headers[LATE_RECORD_HEADERS.timestamp], '5000');
      assert.equal(late?.headers[LATE_RECORD_HEADERS.processor], 'late-check');
      assert.equal(streams.metrics().tasks.get('0_0')?.droppedRecords.lateRecords, 1);
    } finally {
      await streams?.close();
      await producer.disconnect();
      await admin.disconnect();
      await deleteTopics(client, { prefix: applicationId, names: [input, output, lateRecordsTopic] });
      for (const dir of stateDirs) removeDir(dir);
    }
  });
}
