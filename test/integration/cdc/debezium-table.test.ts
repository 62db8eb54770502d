import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { Debezium, KafkaStreams, Serdes, StreamsBuilder } from '../../../src/index.js';
import { eventually, kafka } from '../support/broker.js';
import { consumeUntil } from '../support/consume.js';
import { removeCapture, resetConnectorOffsets, resumeConnector, rowsOf, sql, startConnector, stopConnector } from '../support/cdc.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from '../streams/streams-support.js';

type Row = { readonly [column: string]: unknown };

/** A row as Postgres shows it: a column the row never had in kstreams (added later, never written) reads as null. */
const normalized = (row: Row, columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));

test('a Postgres table mirrored through real Debezium equals the kstreams table after inserts, updates, deletes, a new column, connector restarts and re-sent records', async () => {
  const id = randomUUID().slice(0, 8);
  const [database, connector, slot, prefix] = [`kst_${id}`, `kst-${id}`, `kst_${id}`, `kst${id}`];
  const topic = `${prefix}.public.orders`;
  const [output, applicationId] = [`kst-cdc-out-${id}`, `kst-cdc-app-${id}`];
  const stateDir = tempStateDir();
  sql('postgres', `create database ${database}`);
  sql(database, `create table orders (id int primary key, customer text not null, amount numeric(10,2) not null, status text not null default 'new');
    alter table orders replica identity full;
    insert into orders (id, customer, amount) values (1, 'alice', 10.50), (2, 'bob', 20.00), (3, 'carol', 7.25)`);
  const admin = kafka().admin();
  await admin.connect();
  let streams: KafkaStreams | undefined;
  try {
    await startConnector({ name: connector, database, topicPrefix: prefix, slot, tables: ['public.orders'] });
    await admin.createTopics({ topics: [{ topic: output }], waitForLeaders: true });
    // Debezium creates the table's topic with the first snapshot record, which Connect may still be sending.
    await eventually(`${topic} created by the snapshot`, async () => (await admin.listTopics()).includes(topic), 60_000);
    const builder = new StreamsBuilder();
    Debezium.table<Row, Row>(builder, topic, { storeName: 'orders' }).toStream().to(output, { keySerde: Serdes.Json<Row>(), valueSerde: Serdes.Json<Row>() });
    streams = new KafkaStreams(builder.build(), streamsConfig(applicationId, stateDir, { commitIntervalMs: 100 }));
    await streams.start();
    await awaitState(streams, 'RUNNING');
    const store = () => streams!.store<Row, Row>('orders');
    const columns = () => Object.keys(rowsOf(database, 'orders', ['amount'])[0] ?? {});
    const kstreamsRows = () => [...store().all()].map((kv) => normalized(kv.value, columns())).sort((a, b) => Number(a.id) - Number(b.id));
    const mirrored = (what: string) =>
      eventually(
        () => `${what}: kstreams ${JSON.stringify(kstreamsRows())} vs Postgres ${JSON.stringify(rowsOf(database, 'orders', ['amount']))}`,
        () => isDeepStrictEqual(kstreamsRows(), rowsOf(database, 'orders', ['amount'])),
        60_000,
      );
    await mirrored('the snapshot');

    sql(database, `insert into orders (id, customer, amount) values (4, 'dave', 3.00);
      update orders set amount = 11.00, status = 'paid' where id = 1;
      delete from orders where id = 2`);
    await mirrored('inserts, updates and a delete');

    sql(database, `alter table orders add column note text; update orders set note = 'gift' where id = 3; insert into orders values (5, 'erin', 1.50, 'new', 'rush')`);
    await mirrored('a new column');

    await stopConnector(connector, slot);
    sql(database, `update orders set status = 'shipped' where id = 1; delete from orders where id = 4; insert into orders values (6, 'frank', 9.99, 'new', null)`);
    await resumeConnector(connector, slot);
    sql(database, `update orders set amount = 12.00 where id = 1`);
    await mirrored('changes made while the connector was stopped, and after it resumed');
    assert.equal(store().get({ id: 2 }), null);
    assert.equal(store().get({ id: 1 })!.status, 'shipped');

    // A connector that lost its offsets snapshots again: every row comes once more (op r, at a later position).
    await stopConnector(connector, slot);
    await resetConnectorOffsets(connector);
    sql(database, `update orders set note = 'resnapshot' where id = 5`);
    await resumeConnector(connector, slot);
    await mirrored('a second snapshot after the connector lost its offsets');

    // A connector re-sending what it sent before a crash: the topic's first records, produced again as they are.
    const dropped = () => {
      const tasks = [...streams!.metrics().tasks.values()];
      return { stale: tasks.reduce((n, t) => n + t.droppedRecords.staleRecords, 0), tombstones: tasks.reduce((n, t) => n + t.droppedRecords.nullValues, 0) };
    };
    const before = dropped();
    const sent = (await consumeUntil(topic, (messages) => messages.length >= 8)).slice(0, 8);
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic, messages: sent.map((m) => ({ key: m.key, value: m.value })) });
    await producer.disconnect();
    const resentTombstones = sent.filter((m) => m.value === null).length;
    await eventually(
      () => `the re-sent records dropped: ${JSON.stringify(dropped())}, before ${JSON.stringify(before)}`,
      () => dropped().stale - before.stale === sent.length - resentTombstones && dropped().tombstones - before.tombstones === resentTombstones,
    );
    await mirrored('records sent again');

    // The table's updates, read back by Kafka's own Java consumer, fold into the same table.
    const finalRows = rowsOf(database, 'orders', ['amount']);
    const updates = await consumeUntil(output, (messages) => {
      const folded = new Map<string, Row | null>();
      for (const m of messages) folded.set(m.key!, m.value === null ? null : (JSON.parse(m.value) as Row));
      const live = [...folded.values()].filter((row): row is Row => row !== null).map((row) => normalized(row, columns()));
      return isDeepStrictEqual(live.sort((a, b) => Number(a.id) - Number(b.id)), finalRows);
    });
    const deletes = updates.filter((m) => m.value === null).map((m) => m.key);
    assert.deepEqual(deletes, ['{"id":2}', '{"id":4}'], 'one tombstone per deleted row, none for Debezium’s own tombstones');
  } finally {
    assert.equal(await streams?.close(), true);
    await removeCapture(connector, slot, database);
    await admin.disconnect();
    await deleteTopics(kafka(), { prefix: applicationId, names: [output, topic] });
    removeDir(stateDir);
  }
});
