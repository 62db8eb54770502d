import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { KeyValue } from '../../../src/state/key-value.js';
import type { StoreType } from '../../../src/topology/dsl/dsl-options.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import type { Topology } from '../../../src/topology/topology.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

/** Users per region: a table of user → region, re-grouped by region and counted. */
function usersPerRegion(storeType: StoreType): Topology {
  const builder = new StreamsBuilder();
  builder
    .table('user-regions', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .groupBy((user, region) => KeyValue.pair(region, user), { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .count({ storeName: 'users-per-region', storeType })
    .toStream()
    .to('region-counts', { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}

for (const storeType of ['persistent', 'in-memory'] as const) {
  describe(`KTable re-grouping with a ${storeType} store`, () => {
    let stateDir: string;
    let driver: TopologyTestDriver;
    beforeEach(() => {
      // The persistent run keeps its SQLite database in a file, as a real application does.
      stateDir = mkdtempSync(join(tmpdir(), 'kstreams-regroup-'));
      driver = new TopologyTestDriver(usersPerRegion(storeType), storeType === 'persistent' ? { stateDir } : {});
    });
    afterEach(() => {
      driver.close();
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('moves users between regions by retracting the old region and adding the new one', () => {
      const users = driver.createInputTopic('user-regions', Serdes.String(), Serdes.String());
      const counts = driver.createOutputTopic('region-counts', Serdes.String(), Serdes.Long());

      users.pipeInput('alice', 'europe', 1);
      users.pipeInput('bob', 'europe', 2);
      users.pipeInput('carol', 'asia', 3);
      // alice moves: the table emits (new asia, old europe); the grouping sends europe's retraction first, then
      // asia's addition, as two repartition records, each processed and committed on its own.
      users.pipeInput('alice', 'asia', 4);
      // An update that keeps alice in asia maps old and new to the same key: Kafka Streams (3.4+) sends one
      // record carrying both, so the count subtracts then adds in one step and emits once, unchanged.
      users.pipeInput('alice', 'asia', 5);
      // bob's tombstone deletes him from the table: only europe's retraction is sent; an emptied group stays at 0.
      users.pipeInput('bob', null, 6);
      // A tombstone for a user the table never held changes nothing: no retraction, no update.
      users.pipeInput('dave', null, 7);
      // Records without a key cannot update a table; they are dropped.
      users.pipeInput(null, 'africa', 8);

      assert.deepEqual(
        counts.readRecordsToList().map(({ key, value, timestamp }) => [key, value, timestamp]),
        [
          ['europe', 1, 1],
          ['europe', 2, 2],
          ['asia', 1, 3],
          ['europe', 1, 4],
          ['asia', 2, 4],
          ['asia', 2, 5],
          ['europe', 0, 6],
        ],
      );
      const store = driver.getKeyValueStore<string, number>('users-per-region')!;
      assert.equal(store.get('asia'), 2);
      assert.equal(store.get('europe'), 0);
      assert.equal(store.get('africa'), null);
    });

    it('materializes the source table (groupBy needs its old values) and describes as Kafka Streams does', () => {
      // The table's store gets index 0 (`<topic>-STATE-STORE-`), its source nodes 1 and 2, the selector 3; the
      // count's named store burns no index, so its repartition sink and source get 4 and 5 and the count 6.
      const text = formatTopologyText(usersPerRegion(storeType).describe());
      assert.match(text, /Processor: KTABLE-SOURCE-0000000002 \(stores: \[user-regions-STATE-STORE-0000000000\]\)/);
      assert.match(text, /Sink: KSTREAM-SINK-0000000004 \(topic: users-per-region-repartition\)/);
      assert.match(text, /Processor: KTABLE-AGGREGATE-0000000006 \(stores: \[users-per-region\]\)/);
    });
  });
}

describe('KTable re-grouping with reduce and aggregate', () => {
  it('keeps the set of users per region with an adder and a subtractor', () => {
    const builder = new StreamsBuilder();
    builder
      .table('user-regions', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .groupBy((user, region) => KeyValue.pair(region, user), { name: 'by-region', keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .aggregate(
        () => [] as string[],
        (_region, user, users) => [...users, user].sort(),
        (_region, user, users) => users.filter((member) => member !== user),
        { storeName: 'region-members', valueSerde: Serdes.Json<string[]>(), caching: false },
      )
      .toStream()
      .to('region-members', { keySerde: Serdes.String(), valueSerde: Serdes.Json<string[]>() });
    const driver = new TopologyTestDriver(builder.build());
    try {
      const users = driver.createInputTopic('user-regions', Serdes.String(), Serdes.String());
      const members = driver.createOutputTopic('region-members', Serdes.String(), Serdes.Json<string[]>());
      users.pipeInput('alice', 'europe', 1);
      users.pipeInput('bob', 'europe', 2);
      users.pipeInput('alice', 'asia', 3);
      assert.deepEqual(members.readKeyValuesToList(), [
        { key: 'europe', value: ['alice'] },
        { key: 'europe', value: ['alice', 'bob'] },
        { key: 'europe', value: ['bob'] },
        { key: 'asia', value: ['alice'] },
      ]);
      // The grouping is named, so the repartition topic is too.
      assert.ok(driver.producedTopicNames().has('topology-test-driver-by-region-repartition'));
    } finally {
      driver.close();
    }
  });

  it('sums values per group with reduce, subtracting what an update replaces', () => {
    const builder = new StreamsBuilder();
    builder
      .table('account-balances', { keySerde: Serdes.String(), valueSerde: Serdes.Long() })
      .groupBy((account, balance) => KeyValue.pair(account.split(':')[0]!, balance), { keySerde: Serdes.String(), valueSerde: Serdes.Long() })
      .reduce(
        (total, balance) => total + balance,
        (total, balance) => total - balance,
        { storeType: 'in-memory' },
      )
      .toStream()
      .to('customer-totals', { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
    const driver = new TopologyTestDriver(builder.build());
    try {
      const balances = driver.createInputTopic('account-balances', Serdes.String(), Serdes.Long());
      const totals = driver.createOutputTopic('customer-totals', Serdes.String(), Serdes.Long());
      balances.pipeInput('ann:checking', 100, 1);
      balances.pipeInput('ann:savings', 50, 2);
      balances.pipeInput('ann:checking', 70, 3);
      balances.pipeInput('ann:savings', null, 4);
      // 100; +50; same group: -100 then +70 in one step; the savings tombstone subtracts 50.
      assert.deepEqual(totals.readValuesToList(), [100, 150, 120, 70]);
    } finally {
      driver.close();
    }
  });
});
