import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPATIBILITY, SchemaType } from '@kafkajs/confluent-schema-registry';
import { AvroSerdes, KafkaStreams, Serdes, StreamsBuilder, type Topology } from '../../../src/index.js';
import { eventually, kafka, uniqueName } from '../support/broker.js';
import { plainRegistryClient, readRaw, registryUrl } from '../support/registry.js';
import { ORDER_V1 as ORDER, REF, type Order } from '../../fixtures/avro-orders.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from '../streams/streams-support.js';

const TOTALS = {
  type: 'record',
  name: 'Totals',
  namespace: 'shop',
  fields: [
    { name: 'orders', type: 'long' },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 14, scale: 2 } },
  ],
};

interface Totals {
  readonly orders: bigint;
  readonly total: string;
}

/** Decimal texts of scale 2 added exactly. */
function addCents(a: string, b: string): string {
  const cents = (text: string) => BigInt(text.replace('.', ''));
  const sum = (cents(a) + cents(b)).toString().padStart(3, '0');
  return `${sum.slice(0, -2)}.${sum.slice(-2)}`;
}

/**
 * Orders regrouped by customer (an Avro-keyed repartition topic) and summed into an Avro store (its changelog in
 * Avro too). Each build makes serdes with registry clients of their own: a second instance starts with empty caches.
 */
function totalsPerCustomer(input: string, output: string): Topology {
  const registry = { url: registryUrl() };
  const customerKey = AvroSerdes.specific<string>('string', { registry, isKey: true });
  const totals = AvroSerdes.specific<Totals>(TOTALS, { registry });
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: Serdes.String(), valueSerde: AvroSerdes.specific<Order>(ORDER, { registry }) })
    .groupBy((_key, order) => order.customer, { keySerde: customerKey, valueSerde: AvroSerdes.specific<Order>(ORDER, { registry }) })
    .aggregate<Totals>(() => ({ orders: 0n, total: '0.00' }), (_customer, order, sum) => ({ orders: sum.orders + 1n, total: addCents(sum.total, order.amount) }), {
      storeName: 'totals',
      keySerde: customerKey,
      valueSerde: totals,
    })
    .toStream()
    .to(output, { keySerde: customerKey, valueSerde: totals });
  return builder.build();
}

test('Avro keys and values through a repartition topic and a changelog; a new instance restores the store and reads it on', async () => {
  const client = kafka();
  const [input, output, applicationId] = ['in', 'out', 'app'].map((part) => uniqueName(`avro-internal-${part}`)) as [string, string, string];
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
  const plain = plainRegistryClient();
  const producer = client.producer();
  await producer.connect();
  const orderId = (await plain.register({ type: SchemaType.AVRO, schema: JSON.stringify(ORDER) }, { subject: `${input}-value`, compatibility: COMPATIBILITY.BACKWARD })).id;
  // 12.50, 7.25, 100.00 and 0.05 as the plain client writes decimals: unscaled cents, big-endian.
  const cents = (n: number) => Buffer.from(n.toString(16).padStart(n > 0x7fff ? 6 : 4, '0'), 'hex');
  const send = async (orders: ReadonlyArray<[string, number]>) =>
    producer.send({ topic: input, messages: await Promise.all(orders.map(async ([customer, amount]) => ({ key: customer, value: await plain.encode(orderId, { id: 1n, customer, placedAt: 0, amount: cents(amount), ref: REF }) }))) });
  const dirs = [tempStateDir(), tempStateDir()];
  const config = (stateDir: string) => streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', cacheMaxBytes: 0, commitIntervalMs: 100 });
  try {
    const first = new KafkaStreams(totalsPerCustomer(input, output), config(dirs[0]!));
    await first.start();
    await awaitState(first, 'RUNNING');
    await send([['ada', 1250], ['bob', 725], ['ada', 10000]]);
    await eventually('3 orders aggregated', () => first.metrics().totals.processedRecords >= 6);
    await first.close();

    // Another instance, without local state: it restores `totals` from the Avro changelog, then adds one order.
    const second = new KafkaStreams(totalsPerCustomer(input, output), config(dirs[1]!));
    await second.start();
    await awaitState(second, 'RUNNING');
    try {
      const restored = [...second.metrics().tasks.values()].reduce((sum, task) => sum + task.restoredRecords, 0);
      assert.equal(restored, 3, 'the three updates of the changelog are restored');
      await send([['ada', 5]]);
      const written = await readRaw(output, 4);
      const decoded = await Promise.all(written.map(async (r) => [await plain.decode(r.key!), await plain.decode(r.value!)] as const));
      assert.deepEqual(decoded.map(([customer, sum]) => [customer, sum.orders, sum.total.toString('hex')]), [
        ['ada', 1n, cents(1250).toString('hex')],
        ['bob', 1n, cents(725).toString('hex')],
        ['ada', 2n, cents(11250).toString('hex')],
        ['ada', 3n, cents(11255).toString('hex')],
      ]);
      assert.deepEqual({ ...second.store<string, Totals>('totals').get('ada') }, { orders: 3n, total: '112.55' });
    } finally {
      await second.close();
    }
    const subjects = (await (await fetch(`${registryUrl()}/subjects`)).json()) as string[];
    const internal = subjects.filter((subject) => subject.startsWith(applicationId)).sort();
    assert.deepEqual(internal, [
      `${applicationId}-totals-changelog-key`,
      `${applicationId}-totals-changelog-value`,
      `${applicationId}-totals-repartition-key`,
      `${applicationId}-totals-repartition-value`,
    ]);
  } finally {
    await producer.disconnect();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    for (const dir of dirs) removeDir(dir);
  }
});
