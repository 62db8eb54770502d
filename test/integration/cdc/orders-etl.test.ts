import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { buildOrdersEtlTopology } from '../../../examples/orders-etl.js';
import { KafkaStreams } from '../../../src/index.js';
import { FollowingReader, type ReadRecord } from '../../../scripts/committed-reader/committed-reader.js';
import { brokers, eventually, kafka } from '../support/broker.js';
import { removeCapture, sql, startConnector } from '../support/cdc.js';
import { plainRegistryClient, registryUrl } from '../support/registry.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from '../streams/streams-support.js';

type Enriched = { orderId: number; customer: string; tier: string; amount: string; status: string };

/** What the output should hold per order, computed by Postgres itself from the two tables. */
function expectedFromPostgres(database: string): Map<number, Enriched> {
  const rows = JSON.parse(
    sql(
      database,
      `select coalesce(jsonb_agg(jsonb_build_object('orderId', o.id, 'customer', c.name, 'tier', c.tier, 'amount', o.amount::text, 'status', o.status) order by o.id), '[]')
       from orders o join customers c on c.id = o.customer_id`,
    ),
  ) as Enriched[];
  return new Map(rows.map((row) => [row.orderId, row]));
}

test('ETL: Postgres orders and customers through real Debezium, joined in kstreams, written as Avro that a plain consumer decodes with the registry schema', async () => {
  const id = randomUUID().slice(0, 8);
  const [database, connector, slot, prefix] = [`etl_${id}`, `etl-${id}`, `etl_${id}`, `etl${id}`];
  const topics = { customers: `${prefix}.public.customers`, orders: `${prefix}.public.orders`, output: `etl-out-${id}` };
  const applicationId = `etl-app-${id}`;
  const stateDir = tempStateDir();
  sql('postgres', `create database ${database}`);
  sql(database, `create table customers (id int primary key, name text not null, tier text not null);
    create table orders (id int primary key, customer_id int not null, amount numeric(10,2) not null, status text not null);
    alter table customers replica identity full; alter table orders replica identity full;
    insert into customers values (1, 'alice', 'gold'), (2, 'bob', 'basic');
    insert into orders values (100, 1, 10.50, 'new'), (101, 2, 3.00, 'new'), (102, 1, 99.99, 'paid')`);
  const admin = kafka().admin();
  await admin.connect();
  let streams: KafkaStreams | undefined;
  const plain = plainRegistryClient();
  const latest = new Map<number, Enriched | null>();
  // One Java consumer follows the output for the whole test; the plain registry client decodes what it has read.
  const received: ReadRecord[] = [];
  const reader = new FollowingReader(brokers().join(','), [topics.output], (record) => received.push(record));
  let read = 0;
  const readOutput = async (): Promise<void> => {
    for (const record of received.slice(read)) {
      const key = (await plain.decode(record.key!)) as { id: number };
      // avsc decodes into instances of a record class: spread into plain objects, as Postgres' side is.
      latest.set(key.id, record.value === null ? null : { ...((await plain.decode(record.value)) as Enriched) });
      read++;
    }
  };
  const matches = async (what: string): Promise<void> => {
    await eventually(
      () => `${what}: output ${JSON.stringify(Object.fromEntries(latest))} vs Postgres ${JSON.stringify(Object.fromEntries(expectedFromPostgres(database)))}`,
      async () => {
        await readOutput();
        const live = new Map([...latest].filter((entry): entry is [number, Enriched] => entry[1] !== null));
        return isDeepStrictEqual(live, expectedFromPostgres(database));
      },
      90_000,
    );
  };
  try {
    await startConnector({ name: connector, database, topicPrefix: prefix, slot, tables: ['public.customers', 'public.orders'] });
    await admin.createTopics({ topics: [{ topic: topics.output }], waitForLeaders: true });
    // Debezium creates a table's topic with the table's first snapshot record: both must exist before kstreams starts.
    await eventually('both tables snapshotted into their topics', async () => {
      const existing = await admin.listTopics();
      return existing.includes(topics.customers) && existing.includes(topics.orders);
    }, 60_000);
    streams = new KafkaStreams(buildOrdersEtlTopology(registryUrl(), topics), streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', commitIntervalMs: 100 }));
    await streams.start();
    await awaitState(streams, 'RUNNING');
    await matches('the snapshot');

    sql(database, `update customers set tier = 'platinum' where id = 1;
      insert into orders values (103, 2, 7.25, 'new');
      update orders set status = 'paid' where id = 101;
      delete from orders where id = 100`);
    await matches('a customer update, an insert, an order update and a delete');
    assert.equal(latest.get(100), null, 'the deleted order is a tombstone');

    // The schema kstreams registered is the one the plain consumer decoded with.
    const subjectId = await plain.getLatestSchemaId(`${topics.output}-value`);
    const values = received.flatMap((record) => (record.value === null ? [] : [record.value]));
    assert.deepEqual([...new Set(values.map((value) => value.readInt32BE(1)))], [subjectId]);
  } finally {
    await reader.close();
    assert.equal(await streams?.close(), true);
    await removeCapture(connector, slot, database);
    await admin.disconnect();
    await deleteTopics(kafka(), { prefix: applicationId, names: [topics.output, topics.customers, topics.orders] });
    removeDir(stateDir);
  }
});
