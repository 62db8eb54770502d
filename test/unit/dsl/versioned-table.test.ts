import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from '../../../src/core/change.js';
import type { Record } from '../../../src/core/record.js';
import { Serdes } from '../../../src/core/serdes.js';
import { Stores } from '../../../src/state/stores.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { versionedTableSourceSupplier } from '../../../src/topology/dsl/versioned-table-source.js';
import { Topology } from '../../../src/topology/topology.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { BufferConfig, Suppressed } from '../../../src/topology/dsl/suppress/suppressed.js';

const S = Serdes.String();

function versionedTableToStream(): TopologyTestDriver {
  const builder = new StreamsBuilder();
  builder
    .table('prices', { keySerde: S, valueSerde: S, storeName: 'prices-store', versioned: { historyRetentionMs: 100 } })
    .toStream()
    .to('out', { keySerde: S, valueSerde: S });
  return new TopologyTestDriver(builder.build(), { applicationId: 'app' });
}

describe('versioned tables (builder.table with versioned)', () => {
  it('keeps the newest version as the table value while out-of-order updates go into history', () => {
    const driver = versionedTableToStream();
    try {
      const input = driver.createInputTopic('prices', S, S);
      const output = driver.createOutputTopic('out', S, S);
      input.pipeInput('k', 'a', 10);
      input.pipeInput('k', 'b', 20);
      input.pipeInput('k', 'old', 15);
      assert.deepEqual(
        output.readRecordsToList().map((r) => `${r.key}=${r.value}@${r.timestamp}`),
        ['k=a@10', 'k=b@20', 'k=old@15'],
        'toStream still sees every accepted update, as in Kafka Streams',
      );
      const store = driver.getVersionedKeyValueStore<string, string>('prices-store')!;
      assert.deepEqual(store.get('k'), { value: 'b', timestamp: 20 });
      assert.deepEqual(store.get('k', 17), { value: 'old', timestamp: 15, validTo: 20 });
      assert.equal(store.historyRetentionMs, 100);
      assert.equal(driver.getVersionedKeyValueStore('missing'), null);
    } finally {
      driver.close();
    }
  });

  it('drops an update older than the history retention and counts it', () => {
    const driver = versionedTableToStream();
    try {
      const input = driver.createInputTopic('prices', S, S);
      const output = driver.createOutputTopic('out', S, S);
      input.pipeInput('k', 'new', 200);
      input.pipeInput('k', 'expired', 99);
      input.pipeInput('k', 'edge', 100);
      assert.deepEqual(output.readValuesToList(), ['new', 'edge']);
      const metrics = [...driver.metrics().values()][0]!;
      assert.equal(metrics.droppedRecords.lateRecords, 1);
    } finally {
      driver.close();
    }
  });

  it('writes its changelog with each version timestamp', () => {
    const driver = versionedTableToStream();
    try {
      const input = driver.createInputTopic('prices', S, S);
      input.pipeInput('k', 'a', 10);
      input.pipeInput('k', 'old', 5);
      input.pipeInput('k', null, 30);
      const changelog = driver.createOutputTopic('app-prices-store-changelog', S, S);
      assert.deepEqual(
        changelog.readRecordsToList().map((r) => `${r.key}=${r.value}@${r.timestamp}`),
        ['k=a@10', 'k=old@5', 'k=null@30'],
      );
    } finally {
      driver.close();
    }
  });

  it('needs a storeName and refuses a negative retention', () => {
    const builder = new StreamsBuilder();
    assert.throws(() => builder.table('t', { versioned: { historyRetentionMs: 10 } }), /versioned table needs a storeName/);
    assert.throws(() => builder.table('t', { storeName: 's', versioned: { historyRetentionMs: -1 } }), /historyRetentionMs/);
  });

  it('makes toTable versioned too', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: S, valueSerde: S })
      .toTable({ storeName: 'latest', versioned: { historyRetentionMs: 50 } })
      .toStream()
      .to('out', { keySerde: S, valueSerde: S });
    const driver = new TopologyTestDriver(builder.build());
    try {
      const input = driver.createInputTopic('in', S, S);
      input.pipeInput('k', 'b', 20);
      input.pipeInput('k', 'a', 10);
      assert.deepEqual(driver.getVersionedKeyValueStore<string, string>('latest')!.get('k'), { value: 'b', timestamp: 20 });
    } finally {
      driver.close();
    }
  });
});

describe('versioned semantics downstream of a versioned table (KIP-914)', () => {
  function regionCounts(versioned: boolean): string[] {
    const builder = new StreamsBuilder();
    builder
      .table<string, string>('users', { keySerde: S, valueSerde: S, storeName: 'users', ...(versioned ? { versioned: { historyRetentionMs: 100 } } : {}) })
      .filter(() => true)
      .groupBy((user, region) => ({ key: region, value: user }), { keySerde: S, valueSerde: S })
      .count({ storeName: 'per-region' });
    const driver = new TopologyTestDriver(builder.build());
    try {
      const users = driver.createInputTopic('users', S, S);
      users.pipeInput('u1', 'eu', 10);
      users.pipeInput('u2', 'eu', 10);
      users.pipeInput('u1', 'us', 5);
      const store = driver.getKeyValueStore<string, number>('per-region')!;
      return ['eu', 'us'].map((region) => `${region}=${store.get(region)}`);
    } finally {
      driver.close();
    }
  }

  it('groupBy skips out-of-order updates of a versioned table (through a filter), not of a plain one', () => {
    assert.deepEqual(regionCounts(true), ['eu=2', 'us=null'], 'u1@5 is history: u1 is still in eu');
    assert.deepEqual(regionCounts(false), ['eu=1', 'us=1'], 'a plain table takes the last write');
  });

  it('refuses suppress() on a versioned table, as Kafka Streams does', () => {
    const builder = new StreamsBuilder();
    const table = builder.table<string, string>('t', { keySerde: S, valueSerde: S, storeName: 's', versioned: { historyRetentionMs: 10 } }).mapValues((v) => v);
    assert.throws(() => table.suppress(Suppressed.untilTimeLimit(10, BufferConfig.unbounded())), /suppress\(\) is only supported for non-versioned KTables/);
  });
});

describe('the versioned table source processor (KIP-914 isLatest)', () => {
  it('marks an out-of-order update as not the latest, with the current latest as old value', () => {
    const seen: string[] = [];
    const topology = new Topology()
      .addSource('source', 'prices', { keySerde: S, valueSerde: S })
      .addProcessor('table', versionedTableSourceSupplier()({ name: 'table', storeName: 'vs', sendOldValues: true, valueGetters: [] }), 'source')
      .addProcessor(
        'watch',
        () => ({
          process: (record: Record<unknown, unknown>) => {
            const { newValue, oldValue, isLatest } = record.value as Change<string>;
            seen.push(`${String(record.key)}: ${newValue}<-${oldValue} latest=${isLatest ?? true}`);
          },
        }),
        'table',
      )
      .addStateStore(Stores.versionedKeyValueStoreBuilder(Stores.inMemoryVersionedKeyValueStore('vs', 100), S, S), 'table');
    const driver = new TopologyTestDriver(topology);
    try {
      const input = driver.createInputTopic('prices', S, S);
      input.pipeInput('k', 'a', 10);
      input.pipeInput('k', 'b', 20);
      input.pipeInput('k', 'old', 15);
      input.pipeInput('k', 'same-time', 20);
      assert.deepEqual(seen, ['k: a<-null latest=true', 'k: b<-a latest=true', 'k: old<-b latest=false', 'k: same-time<-b latest=true']);
    } finally {
      driver.close();
    }
  });
});
