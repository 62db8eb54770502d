import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Consumer } from '@platformatic/kafka';
import { readToEnd } from '../../../scripts/committed-reader/committed-reader.js';
import { Headers } from '../../../src/core/headers.js';
import type { OutgoingRecord } from '../../../src/processing/record-collector.js';
import { ProductionFailure } from '../../../src/runtime/client/production-failure.js';
import { PlatformaticClient } from '../../../src/runtime/platformatic/platformatic-client.js';
import { installPromiseWithResolvers } from '../../../src/runtime/platformatic/promise-with-resolvers.js';
import { brokers, eventually, uniqueName } from '../support/broker.js';

/**
 * What the @platformatic/kafka producers do beyond the client contract: the workarounds of docs/runtime.md
 * ("Clients") on the broker, each read back by Kafka's own Java consumer or the broker's group state.
 */
const connection = () => ({ bootstrapServers: brokers(), clientId: uniqueName('plat-write') });
const record = (topic: string, value: string, bytes = 0): OutgoingRecord => ({
  topic,
  partition: 0,
  key: Buffer.from(value),
  value: Buffer.concat([Buffer.from(value), Buffer.alloc(bytes)]),
  headers: Headers.EMPTY,
  timestamp: Date.now(),
});
const committed = async (topic: string) => (await readToEnd(brokers().join(','), [topic])).map((r) => r.key?.toString());

async function withTopic(config: Readonly<{ [key: string]: string }>, body: (client: PlatformaticClient, topic: string) => Promise<void>): Promise<void> {
  const client = new PlatformaticClient(connection());
  const admin = client.admin();
  await admin.connect();
  const topic = uniqueName('plat-write');
  try {
    await admin.createTopics([{ name: topic, partitions: 1, config }]);
    await body(client, topic);
  } finally {
    await admin.deleteTopics([topic]).catch(() => undefined);
    await admin.disconnect();
  }
}

test('a batch the broker refuses as a whole fails as refused records; the next transaction starts a new epoch and commits', () =>
  withTopic({ 'max.message.bytes': '4000' }, async (client, topic) => {
    const producer = client.transactionalProducer(uniqueName('refused-batch'));
    await producer.connect();
    const first = await producer.begin();
    await first.send([record(topic, 'before')]);
    // Each record fits alone, so the adapter sends them; together they are over the topic's limit.
    const tooMany = ['a', 'b', 'c'].map((v) => record(topic, v, 1_500));
    await assert.rejects(first.send(tooMany), (error: unknown) => error instanceof ProductionFailure && error.kind === 'record');
    await first.abort();
    // Without a new epoch, the producer's next batch would carry sequence numbers the broker never saw.
    const second = await producer.begin();
    for (const r of tooMany) await second.send([r]);
    await second.commit();
    await producer.disconnect();
    assert.deepEqual(await committed(topic), ['a', 'b', 'c']);
  }));

test('a transactional id used before (a restarted instance) is taken over by a new producer, which commits', () =>
  withTopic({}, async (client, topic) => {
    const transactionalId = uniqueName('restarted');
    const before = client.transactionalProducer(transactionalId);
    await before.connect();
    const transaction = await before.begin();
    await transaction.send([record(topic, 'first-life')]);
    await transaction.commit();
    await before.disconnect();
    const after = client.transactionalProducer(transactionalId);
    await after.connect();
    const next = await after.begin();
    await next.send([record(topic, 'second-life')]);
    await next.commit();
    await after.disconnect();
    assert.deepEqual(await committed(topic), ['first-life', 'second-life']);
  }));

test('offsets sent with a member carry its generation: the current one commits, a stale one is refused as fenced', () =>
  withTopic({}, async (client, topic) => {
    installPromiseWithResolvers();
    const groupId = uniqueName('member-group');
    const member = new Consumer({ clientId: uniqueName('member'), bootstrapBrokers: brokers(), groupId, sessionTimeout: 10_000, heartbeatInterval: 500 });
    const admin = client.admin();
    const producer = client.transactionalProducer(uniqueName('member-txn'));
    try {
      await member.topics.trackAll(topic);
      await member.joinGroup({});
      const current = { generationId: member.generationId, memberId: member.memberId! };
      await admin.connect();
      await producer.connect();
      const stale = (await producer.begin());
      await assert.rejects(
        stale.sendOffsets(groupId, [{ topic, partition: 0, offset: 3 }], { ...current, generationId: current.generationId + 1 }),
        (error: unknown) => error instanceof ProductionFailure && error.kind === 'fenced' && /ILLEGAL_GENERATION/.test(error.message),
      );
      await stale.abort();
      const fresh = (await producer.begin());
      await fresh.sendOffsets(groupId, [{ topic, partition: 0, offset: 5, metadata: 'AQAAAAAAAAPo' }], current);
      await fresh.commit();
      await eventually('the committed offset', async () => (await admin.committedOffsets(groupId, [{ topic, partition: 0 }])).get(`${topic}:0`)?.offset === 5);
      assert.deepEqual((await admin.committedOffsets(groupId, [{ topic, partition: 0 }])).get(`${topic}:0`), { offset: 5, metadata: 'AQAAAAAAAAPo' });
    } finally {
      await producer.disconnect();
      await member.close(true);
      await admin.disconnect();
    }
  }));
