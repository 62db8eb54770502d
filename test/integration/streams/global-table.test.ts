import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams, Serdes, StreamsBuilder, type Topology } from '../../../src/index.js';
import { consumeUntil } from '../support/consume.js';
import { eventually, kafka, uniqueName } from '../support/broker.js';
import { deleteTopics, produceLines, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

/** Orders (key: order id, value: user id) enriched with the user's region from a global table of two partitions. */
function enrichOrders(orders: string, regions: string, out: string): Topology {
  const builder = new StreamsBuilder();
  const byUser = builder.globalTable<string, string>(regions, { ...strings, storeName: 'regions' });
  builder
    .stream<string, string>(orders, strings)
    .leftJoin(byUser, (_orderId, userId) => userId, (userId, region) => `${userId}@${region}`)
    .to(out, strings);
  return builder.build();
}

function regionsOf(streams: KafkaStreams, users: readonly string[]): Array<string | null> {
  const store = streams.store<string, string>('regions');
  return users.map((user) => store.get(user));
}

test('a GlobalKTable restored after a restart: read from its topic, kept current, only the tail replayed, rebuilt after a wipe', async () => {
  const client = kafka();
  const [orders, regions, out] = [uniqueName('global-orders'), uniqueName('global-regions'), uniqueName('global-out')];
  const applicationId = uniqueName('global-app');
  const dir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: orders, numPartitions: 1 },
      { topic: regions, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: out, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  const start = async (): Promise<KafkaStreams> => {
    const streams = new KafkaStreams(enrichOrders(orders, regions, out), streamsConfig(applicationId, dir, { processingGuarantee: 'exactly_once', commitIntervalMs: 100 }));
    await streams.start();
    return streams;
  };
  try {
    // Six records over both partitions; u3 is deleted again and u1 moves.
    await produceLines(client, regions, [
      { key: 'u1', value: 'eu', partition: 0 },
      { key: 'u2', value: 'us', partition: 1 },
      { key: 'u3', value: 'apac', partition: 0 },
      { key: 'u4', value: 'eu', partition: 1 },
      { key: 'u1', value: 'us', partition: 0 },
    ]);
    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic: regions, messages: [{ key: 'u3', value: null, partition: 0 }] });

    const first = await start();
    try {
      // start() resolved: the whole topic is in the store before any task ran.
      assert.equal(first.metrics().global!.restoredRecords, 6);
      assert.deepEqual(regionsOf(first, ['u1', 'u2', 'u3', 'u4']), ['us', 'us', null, 'eu']);

      // Kept current while running, and joined against by the tasks.
      await produceLines(client, regions, [
        { key: 'u2', value: 'latam', partition: 1 },
        { key: 'u5', value: 'eu', partition: 0 },
      ]);
      await eventually('the global store sees the updates', () => regionsOf(first, ['u2', 'u5']).join() === 'latam,eu');
      await produceLines(client, orders, [
        { key: 'o1', value: 'u2' },
        { key: 'o2', value: 'u3' },
      ]);
      const joined = await consumeUntil(out, (messages) => messages.length >= 2);
      assert.deepEqual(joined.map((m) => `${m.key}=${m.value}`), ['o1=u2@latam', 'o2=u3@null']);
    } finally {
      await first.close();
    }

    // Written while no instance runs: the restart reads these three only.
    await produceLines(client, regions, [
      { key: 'u4', value: 'us', partition: 1 },
      { key: 'u6', value: 'apac', partition: 1 },
      { key: 'u5', value: 'apac', partition: 0 },
    ]);
    const second = await start();
    try {
      assert.equal(second.metrics().global!.restoredRecords, 3, 'only the records written after the stored positions');
      assert.deepEqual(regionsOf(second, ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']), ['us', 'latam', null, 'us', 'apac', 'apac']);
    } finally {
      await second.close();
    }

    second.cleanUp();
    const third = await start();
    try {
      assert.equal(third.metrics().global!.restoredRecords, 11, 'wiped state is rebuilt from the beginning of the topic');
      assert.deepEqual(regionsOf(third, ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']), ['us', 'latam', null, 'us', 'apac', 'apac']);
    } finally {
      await third.close();
    }
    await producer.disconnect();
  } finally {
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [orders, regions, out] });
    removeDir(dir);
  }
});
