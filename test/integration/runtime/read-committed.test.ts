import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { Headers } from '../../../src/core/headers.js';
import type { KafkaClient } from '../../../src/runtime/client/kafka-client.js';
import { KafkajsClient } from '../../../src/runtime/kafka/kafkajs-client.js';
import { brokers, eventually, uniqueName } from '../support/broker.js';

const record = (topic: string, value: string) => ({ topic, partition: 0, key: Buffer.from(value), value: Buffer.from(value), headers: Headers.EMPTY, timestamp: 1_000 });

/**
 * The smallest log that kafkajs 2.2.4's own read_committed filter gets wrong: producers A and B write interleaved
 * into one partition, both abort (B, which started second, first: the broker lists aborted transactions in marker
 * order), then C commits one record. Only C's record is committed.
 */
async function writeInterleavedAborts(client: KafkaClient, topic: string): Promise<void> {
  const [a, b, c] = ['a', 'b', 'c'].map((name) => client.transactionalProducer(uniqueName(`interleaved-${name}`)));
  for (const producer of [a!, b!, c!]) await producer.connect();
  try {
    const txnA = await a!.begin();
    await txnA.send([record(topic, 'aborted-a1')]);
    const txnB = await b!.begin();
    await txnB.send([record(topic, 'aborted-b1')]);
    await txnA.send([record(topic, 'aborted-a2')]);
    await txnB.send([record(topic, 'aborted-b2')]);
    await txnB.abort();
    await txnA.abort();
    const txnC = await c!.begin();
    await txnC.send([record(topic, 'committed-c1')]);
    await txnC.commit();
  } finally {
    for (const producer of [a!, b!, c!]) await producer.disconnect();
  }
}

async function withInterleavedTopic(body: (client: KafkaClient, topic: string) => Promise<void>): Promise<void> {
  const client = new KafkajsClient({ bootstrapServers: brokers(), clientId: uniqueName('read-committed') });
  const admin = client.admin();
  await admin.connect();
  const topic = uniqueName('interleaved');
  try {
    await admin.createTopics([{ name: topic, partitions: 1, config: {} }]);
    await writeInterleavedAborts(client, topic);
    // The end offset is the last stable offset, past C's commit marker once the coordinator wrote it.
    await eventually('the commit marker of C', async () => (await admin.endOffsets([{ topic, partition: 0 }])).get(`${topic}:0`) === 8, 10_000);
    await body(client, topic);
  } finally {
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  }
}

test('kafkajs 2.2.4 without the fix still leaks that aborted record (when this fails, the fix may be obsolete)', async () => {
  await withInterleavedTopic(async (_client, topic) => {
    // A separate process: kstreams patched this process's kafkajs when it created its client.
    const script = `
      import kafkajs from 'kafkajs';
      const kafka = new kafkajs.Kafka({ brokers: ${JSON.stringify(brokers())}, logLevel: kafkajs.logLevel.NOTHING });
      const consumer = kafka.consumer({ groupId: ${JSON.stringify(uniqueName('unpatched'))}, maxWaitTimeInMs: 100 });
      const seen = [];
      await consumer.connect();
      await consumer.subscribe({ topics: [${JSON.stringify(topic)}], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => { seen.push(message.value.toString()); } });
      const deadline = Date.now() + 20000;
      while (!seen.includes('committed-c1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await consumer.disconnect();
      console.log(JSON.stringify(seen));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim()), ['aborted-a1', 'committed-c1']);
  });
});
