import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { Debezium } from '../../../src/topology/cdc/debezium.js';
import { DebeziumSerdes } from '../../../src/topology/cdc/debezium-serdes.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { edited, FINAL_ROWS, recorded, type RecordedChange } from './debezium-fixtures.js';

const TOPIC = 'cdc.public.orders';
type Key = { id: number };
type Row = { id: number; customer: string; amount: string; status: string; updated_at: string; note?: string | null };

/** A table of TOPIC, its updates written to `updates`; returns the driver and a pipe of recorded changes. */
function tableDriver() {
  const builder = new StreamsBuilder();
  Debezium.table<Key, Row>(builder, TOPIC, { storeName: 'orders' })
    .toStream()
    .to('updates', { keySerde: Serdes.Json<Key>(), valueSerde: Serdes.Json<Row>() });
  const driver = new TopologyTestDriver(builder.build());
  const input = driver.createInputTopic(TOPIC, Serdes.String(), Serdes.String());
  const pipe = (changes: readonly RecordedChange[]) => changes.forEach((c) => input.pipeInput(c.key, c.value, 1));
  const updates = () => driver.createOutputTopic('updates', Serdes.Json<Key>(), Serdes.Json<Row>()).readRecordsToList();
  const rows = () => {
    const all = driver.getKeyValueStore<Key, Row>('orders')!.all();
    try {
      return [...all].map(({ key, value }) => ({ key, value }));
    } finally {
      all.close();
    }
  };
  const dropped = () => driver.metrics().get('0_0')!.droppedRecords;
  return { driver, pipe, updates, rows, dropped };
}

describe('Debezium.table over recorded Debezium changes', () => {
  for (const variant of ['plain', 'schemas'] as const) {
    it(`ends equal to the Postgres table, one update per row change (JSON, schemas ${variant === 'plain' ? 'off' : 'on'})`, () => {
      const { driver, pipe, updates, rows, dropped } = tableDriver();
      try {
        pipe(recorded(variant));
        assert.deepEqual(rows(), FINAL_ROWS);
        const seen = updates().map((u) => [u.key!.id, u.value === null ? null : `${u.value.amount}/${u.value.status}/${u.value.note ?? '-'}`]);
        assert.deepEqual(seen, [
          [1, '10.50/new/-'],
          [2, '20.00/new/-'],
          [3, '7.25/new/-'],
          [1, '11.00/paid/-'],
          [2, null],
          [3, '7.25/new/gift'],
        ]);
        assert.equal(dropped().nullValues, 1, "Debezium's tombstone is dropped, and counted");
      } finally {
        driver.close();
      }
    });
  }

  it('takes the time the database committed each change (source.ts_ms) as the event time', () => {
    const { driver, pipe, updates } = tableDriver();
    try {
      const changes = recorded('plain');
      pipe(changes);
      const expected = changes.filter((c) => c.value !== null).map((c) => (JSON.parse(c.value!) as { source: { ts_ms: number } }).source.ts_ms);
      assert.deepEqual(updates().map((u) => u.timestamp), expected);
    } finally {
      driver.close();
    }
  });

  it('ignores what a restarted connector sends again, and an update older than the row', () => {
    const { driver, pipe, updates, rows, dropped } = tableDriver();
    try {
      const changes = recorded('plain');
      pipe(changes);
      updates();
      pipe(changes.slice(2)); // a restart replays everything since the snapshot: c, u, d (+ tombstone), u
      pipe([changes[3]!]); // the old update of row 1 once more, after everything
      assert.deepEqual(updates(), []);
      assert.deepEqual(rows(), FINAL_ROWS);
      assert.equal(dropped().staleRecords, 5);
      assert.equal(dropped().nullValues, 2);
    } finally {
      driver.close();
    }
  });

  it('does not bring a deleted row back when an older update of it arrives after the delete', () => {
    const { driver, pipe, rows } = tableDriver();
    try {
      const [snapshot1, snapshot2, , , deletion] = recorded('plain');
      const olderUpdate = edited(snapshot2!, (e) => Object.assign(e, { op: 'u', source: { ...e.source, snapshot: 'false', lsn: e.source.lsn + 8 } }));
      pipe([snapshot1!, snapshot2!, deletion!, olderUpdate]);
      assert.deepEqual(rows().map((r) => r.key), [{ id: 1 }]);
    } finally {
      driver.close();
    }
  });

  it('applies a streamed change whose LSN is below the snapshot position: a transaction open across the snapshot point', () => {
    const { driver, pipe, rows } = tableDriver();
    try {
      const [snapshotRow, update] = recorded('open-transaction-at-snapshot');
      const lsn = (change: RecordedChange) => (JSON.parse(change.value!) as { source: { lsn: number } }).source.lsn;
      assert.ok(lsn(update!) < lsn(snapshotRow!), 'the recording shows the update streamed with an LSN below the snapshot');
      pipe([snapshotRow!, update!]);
      assert.deepEqual(rows(), [{ key: { id: 1 }, value: { id: 1, v: 'c' } }]);
    } finally {
      driver.close();
    }
  });

  it('lets a new snapshot (at a later position) replace what was streamed before it, but not a duplicate or an older one', () => {
    const { driver, pipe, rows, updates } = tableDriver();
    try {
      const changes = recorded('plain');
      pipe(changes);
      const resnapshot = edited(changes[0]!, (e) => Object.assign(e, { after: { ...e.after, status: 'resnapshot' }, source: { ...e.source, lsn: 99_999_999 } }));
      updates();
      pipe([changes[0]!, resnapshot]);
      assert.deepEqual(updates().map((u) => u.value?.status), ['resnapshot']);
      assert.equal(rows()[0]!.value.status, 'resnapshot');
      const streamedLsn = (JSON.parse(changes[3]!.value!) as { source: { lsn: number } }).source.lsn;
      pipe([edited(changes[2]!, (e) => Object.assign(e, { op: 'r', source: { ...e.source, snapshot: 'true', lsn: streamedLsn } }))]);
      assert.deepEqual(updates(), [], 'a snapshot row not past a change already streamed for its key is stale');
    } finally {
      driver.close();
    }
  });

  it('fails a truncate event with the record coordinates instead of dropping it', () => {
    const { driver, pipe } = tableDriver();
    try {
      const truncate = edited(recorded('plain')[0]!, (e) => Object.assign(e, { op: 't', before: null, after: null }));
      assert.throws(() => pipe([truncate]), (error: Error) => /"t" event cannot be applied/.test(error.message) && /topic=cdc\.public\.orders/.test(error.message));
    } finally {
      driver.close();
    }
  });
});

describe('DebeziumSerdes', () => {
  it('reads a value that is no Debezium envelope as a SerdeError, which the deserialization handler routes', () => {
    const builder = new StreamsBuilder();
    Debezium.table(builder, TOPIC, { storeName: 'orders' });
    const failing = new TopologyTestDriver(builder.build());
    try {
      const input = failing.createInputTopic(TOPIC, Serdes.String(), Serdes.String());
      assert.throws(() => input.pipeInput('{"id":1}', '{"id":1,"customer":"alice"}'), (error: Error & { code?: string }) =>
        error.code === 'SERDE_FAILED' && /"op" is undefined/.test(error.message) && /offset=0/.test(error.message),
      );
    } finally {
      failing.close();
    }
    const skipping = new TopologyTestDriver(builder.build(), { deserializationExceptionHandler: 'continue' });
    try {
      skipping.createInputTopic(TOPIC, Serdes.String(), Serdes.String()).pipeInput('{"id":1}', 'not json');
      assert.equal(skipping.metrics().get('0_0')!.droppedRecords.deserializationErrors, 1);
    } finally {
      skipping.close();
    }
  });

  it('decodes the envelope through any inner serde: one giving 64-bit longs as bigint (as an Avro serde can) orders by them', () => {
    // Stands for a registry-backed Avro serde: bytes in, the decoded envelope object out, longs as bigint.
    const bigintJson = {
      serialize: () => null,
      deserialize: (_topic: string, data: Buffer | null) =>
        data === null ? null : (JSON.parse(data.toString(), (key, value) => (key === 'lsn' || key === 'ts_ms' ? BigInt(value) : value)) as unknown),
    };
    const builder = new StreamsBuilder();
    Debezium.table<Key, Row>(builder, TOPIC, { storeName: 'orders', valueSerde: DebeziumSerdes.changeEvent<Row>(bigintJson) })
      .toStream()
      .to('updates', { keySerde: Serdes.Json<Key>(), valueSerde: Serdes.Json<Row>() });
    const driver = new TopologyTestDriver(builder.build());
    try {
      const input = driver.createInputTopic(TOPIC, Serdes.String(), Serdes.String());
      const changes = recorded('plain');
      for (const change of [...changes, ...changes]) input.pipeInput(change.key, change.value, 1);
      const updates = driver.createOutputTopic('updates', Serdes.Json<Key>(), Serdes.Json<Row>()).readRecordsToList();
      assert.equal(updates.length, 6);
      assert.equal(updates[0]!.timestamp, (JSON.parse(changes[0]!.value!) as { source: { ts_ms: number } }).source.ts_ms);
    } finally {
      driver.close();
    }
  });
});

describe('Debezium.changes', () => {
  it('gives every change once as a typed event, keyed by the primary key', () => {
    const builder = new StreamsBuilder();
    Debezium.changes<Key, Row>(builder, TOPIC)
      .mapValues((event) => `${event.op}:${event.before?.status ?? '-'}>${event.after?.status ?? '-'}:${event.source.snapshot}`)
      .to('events', { keySerde: Serdes.Json<Key>(), valueSerde: Serdes.String() });
    const driver = new TopologyTestDriver(builder.build());
    try {
      const input = driver.createInputTopic(TOPIC, Serdes.String(), Serdes.String());
      const changes = recorded('schemas');
      for (const change of [...changes, ...changes.slice(3)]) input.pipeInput(change.key, change.value, 1);
      assert.deepEqual(driver.createOutputTopic('events', Serdes.Json<Key>(), Serdes.String()).readKeyValuesToList(), [
        { key: { id: 1 }, value: 'r:->new:first' },
        { key: { id: 2 }, value: 'r:->new:last' },
        { key: { id: 3 }, value: 'c:->new:false' },
        { key: { id: 1 }, value: 'u:new>paid:false' },
        { key: { id: 2 }, value: 'd:new>-:false' },
        { key: { id: 3 }, value: 'u:new>new:false' },
      ]);
    } finally {
      driver.close();
    }
  });
});
