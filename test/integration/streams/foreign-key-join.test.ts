import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams } from '../../../src/index.js';
import { readToEnd } from '../../../scripts/committed-reader/committed-reader.js';
import { buildOrdersWithCustomersTopology, CUSTOMER_ORDERS_STORE, type Customer, type CustomerOrder, type Order, type OrdersWithCustomersTopics } from '../../../examples/orders-with-customers.js';
import { brokers, eventually, kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

/**
 * The orders-with-customers example (`examples/orders-with-customers.ts`: orders joined to customers by a foreign
 * key) on the broker, exactly-once: orders have 4 partitions, customers 3. One instance starts alone; a second one
 * joins mid-way, so the join's tasks (and their subscription stores) move between instances while orders change
 * customers and both sides see updates and deletes. The latest output row of every order — read read_committed by
 * Kafka's own Java consumer — and both instances' queries must equal the join of the final tables.
 */

const ORDERS = 60;
const CUSTOMERS = 9;

type Rows<V> = Map<string, V | null>;

function customerRows(round: number): Rows<Customer> {
  const rows: Rows<Customer> = new Map();
  for (let c = 0; c < CUSTOMERS; c++) rows.set(`c${c}`, { name: `customer-${c}`, tier: `tier-${round}-${c % 3}` });
  // Round 2 deletes a customer: its orders lose their joined row.
  if (round === 2) rows.set('c4', null);
  return rows;
}

function orderRows(round: number): Rows<Order> {
  const rows: Rows<Order> = new Map();
  // Every round moves orders to other customers; round 2 deletes every tenth order and points some at a customer
  // that never exists.
  for (let o = 0; o < ORDERS; o++) rows.set(`o${o}`, round === 2 && o % 10 === 0 ? null : { customerId: o % 13 === 12 && round === 2 ? 'c-none' : `c${(o + round * 2) % CUSTOMERS}`, amount: o + round });
  return rows;
}

function joined(orders: Rows<Order>, customers: Rows<Customer>): Map<string, CustomerOrder> {
  const result = new Map<string, CustomerOrder>();
  for (const [orderId, order] of orders) {
    const customer = order === null ? undefined : customers.get(order.customerId);
    if (order !== null && customer) result.set(orderId, { customerId: order.customerId, customer: customer.name, tier: customer.tier, amount: order.amount });
  }
  return result;
}

test('foreign-key join of tables with 4 and 3 partitions on two instances, the second joining mid-way: the latest row of every order is the join of the final tables', async () => {
  const client = kafka();
  const applicationId = uniqueName('fk-app');
  const topics: OrdersWithCustomersTopics = { orders: uniqueName('fk-orders'), customers: uniqueName('fk-customers'), output: uniqueName('fk-out') };
  const dirs = [tempStateDir(), tempStateDir()];
  const admin = client.admin();
  await admin.connect();
  const compacted = [{ name: 'cleanup.policy', value: 'compact' }];
  await admin.createTopics({
    topics: [
      { topic: topics.orders, numPartitions: 4, configEntries: compacted },
      { topic: topics.customers, numPartitions: 3, configEntries: compacted },
      { topic: topics.output, numPartitions: 2 },
    ],
    waitForLeaders: true,
  });
  const producer = client.producer();
  await producer.connect();
  const send = <V>(topic: string, rows: Rows<V>) =>
    producer.send({ topic, messages: [...rows].map(([key, value]) => ({ key, value: value === null ? null : JSON.stringify(value) })) });
  const instances = dirs.map((dir) => new KafkaStreams(buildOrdersWithCustomersTopology(topics), streamsConfig(applicationId, dir, { processingGuarantee: 'exactly_once', commitIntervalMs: 200 })));
  const [first, second] = instances as [KafkaStreams, KafkaStreams];

  let latest = new Map<string, CustomerOrder | null>();
  const readLatest = async () => {
    latest = new Map();
    for (const record of await readToEnd(brokers().join(','), [topics.output])) {
      latest.set(record.key!.toString(), record.value === null ? null : (JSON.parse(record.value.toString()) as CustomerOrder));
    }
  };
  const awaitJoin = (expected: Map<string, CustomerOrder>, what: string) =>
    eventually(() => `${what}: the output's latest rows equal the join (${[...latest.values()].filter((v) => v !== null).length} rows, ${expected.size} expected)`, async () => {
      await readLatest();
      const rows = [...latest].filter(([, value]) => value !== null);
      return rows.length === expected.size && rows.every(([key, value]) => JSON.stringify(value) === JSON.stringify(expected.get(key)));
    }, 60_000);
  try {
    await send(topics.customers, customerRows(0));
    await send(topics.orders, orderRows(0));
    await first.start();
    await awaitState(first, 'RUNNING');
    await awaitJoin(joined(orderRows(0), customerRows(0)), 'one instance');

    await second.start();
    await send(topics.orders, orderRows(1));
    await send(topics.customers, customerRows(1));
    await eventually('tasks spread over both instances', () => instances.every((s) => s.state() === 'RUNNING' && s.metrics().tasks.size > 0), 60_000);
    await send(topics.customers, customerRows(2));
    await send(topics.orders, orderRows(2));

    const expected = joined(orderRows(2), customerRows(2));
    await awaitJoin(expected, 'two instances');
    for (let o = 0; o < ORDERS; o++) {
      const key = `o${o}`;
      assert.deepEqual(latest.get(key) ?? null, expected.get(key) ?? null, `latest output row of ${key}`);
    }
    // Each instance answers for the orders of the tasks it holds; together they hold the whole joined table.
    const queried = new Map<string, CustomerOrder>();
    for (const streams of instances) {
      for (const { key, value } of streams.store<string, CustomerOrder>(CUSTOMER_ORDERS_STORE).all()) queried.set(key, value);
    }
    assert.deepEqual(new Map([...queried].sort()), new Map([...expected].sort()));
  } finally {
    await producer.disconnect();
    await Promise.all(instances.map((s) => s.close()));
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: Object.values(topics) });
    dirs.forEach(removeDir);
  }
});
