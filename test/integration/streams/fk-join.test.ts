import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kafka } from 'kafkajs';
import { KafkaStreams, Serdes, StreamsBuilder } from '../../../src/index.js';
import { FollowingReader } from '../../../scripts/committed-reader/committed-reader.js';
import { brokers, eventually, kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const ORDERS = 24;
const CUSTOMERS = 6;

type Row = { readonly key: string; readonly value: string | null };

/**
 * Orders (2 partitions) join customers (3 partitions) by the customer an order names, `<customer>/<item>`: the
 * subscription topic must take the customers' 3 partitions and the response topic the orders' 2. The rows then
 * change their customers, orders and customers are deleted, and the final joined table is checked key by key
 * against the join of both tables' final contents, read committed from the output topic.
 */
test('a foreign-key join of a 2-partition table with a 3-partition table converges to the join of their final rows', async () => {
  const client = kafka();
  const orders = uniqueName('fk-orders');
  const customers = uniqueName('fk-customers');
  const output = uniqueName('fk-output');
  const applicationId = uniqueName('fk-app');
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  const topics = [{ topic: orders, numPartitions: 2 }, { topic: customers, numPartitions: 3 }, { topic: output, numPartitions: 2 }];
  await admin.createTopics({ topics, waitForLeaders: true });
  const builder = new StreamsBuilder();
  builder
    .table(orders, strings)
    .join(builder.table(customers, strings), (order) => order.split('/')[0]!, (order, customer) => `${order}|${customer}`, {
      name: 'orders-customers',
      storeName: 'orders-with-customers',
      valueSerde: Serdes.String(),
    })
    .toStream()
    .to(output, strings);
  const streams = new KafkaStreams(builder.build(), streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', commitIntervalMs: 100 }));
  try {
    await streams.start();
    const final = { orders: new Map<string, string>(), customers: new Map<string, string>() };
    const customerRows = (round: number): Row[] => Array.from({ length: CUSTOMERS }, (_, c) => ({ key: `c${c}`, value: `name-${c}-v${round}` }));
    await produce(client, customers, customerRows(0), final.customers);
    await produce(client, orders, Array.from({ length: ORDERS }, (_, o) => ({ key: `o${o}`, value: `c${o % CUSTOMERS}/item-${o}` })), final.orders);
    // Every third order moves to another customer, every fifth is deleted, two customers go away, the rest change.
    await produce(client, orders, Array.from({ length: ORDERS / 3 }, (_, i) => ({ key: `o${i * 3}`, value: `c${(i * 3 + 1) % CUSTOMERS}/moved-${i}` })), final.orders);
    await produce(client, orders, Array.from({ length: ORDERS / 5 }, (_, i) => ({ key: `o${i * 5 + 1}`, value: null })), final.orders);
    await produce(client, customers, [{ key: 'c2', value: null }, { key: 'c5', value: null }, ...customerRows(1).slice(0, 2)], final.customers);
    await produce(client, orders, [{ key: 'o7', value: 'c5/back-to-a-deleted-customer' }, { key: 'o8', value: 'c0/from-a-deleted-customer' }], final.orders);

    const expected = new Map<string, string>();
    for (const [order, value] of final.orders) {
      const customer = final.customers.get(value.split('/')[0]!);
      if (customer !== undefined) expected.set(order, `${value}|${customer}`);
    }
    const joined = await awaitJoinedTable(output, expected);
    assert.deepEqual(new Map([...joined].filter(([, value]) => value !== null)), expected);

    const partitions = async (topic: string): Promise<number> => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length;
    assert.equal(await partitions(`${applicationId}-orders-customers-subscription-registration-topic`), 3, 'the foreign table’s count');
    assert.equal(await partitions(`${applicationId}-orders-customers-subscription-response-topic`), 2, 'the primary table’s count');
    await awaitState(streams, 'RUNNING');
    const store = streams.store<string, string>('orders-with-customers');
    for (let o = 0; o < ORDERS; o++) assert.equal(store.get(`o${o}`), expected.get(`o${o}`) ?? null, `o${o} in the result store`);
  } finally {
    assert.equal(await streams.close(), true);
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [orders, customers, output] });
    removeDir(stateDir);
  }
});

async function produce(client: Kafka, topic: string, rows: readonly Row[], table: Map<string, string>): Promise<void> {
  const producer = client.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: rows.map(({ key, value }) => ({ key, value })) });
  } finally {
    await producer.disconnect();
  }
  for (const { key, value } of rows) {
    if (value === null) table.delete(key);
    else table.set(key, value);
  }
}

/** Follows `topic` read committed until its latest value per key (tombstones as `null`) is the expected table. */
async function awaitJoinedTable(topic: string, expected: ReadonlyMap<string, string>): Promise<Map<string, string | null>> {
  const latest = new Map<string, string | null>();
  const reader = new FollowingReader(brokers().join(','), [topic], (record) => latest.set(record.key!.toString(), record.value?.toString() ?? null));
  const matches = (): boolean =>
    [...expected].every(([key, value]) => latest.get(key) === value) && [...latest].every(([key, value]) => value === null || expected.has(key));
  try {
    await Promise.race([eventually(`the joined table on ${topic}`, matches, 30_000), reader.failed]).catch((error: Error) => {
      throw new Error(`${error.message}; latest: ${JSON.stringify(Object.fromEntries(latest))}`);
    });
    return latest;
  } finally {
    await reader.close();
  }
}
