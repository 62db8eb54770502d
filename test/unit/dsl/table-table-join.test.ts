import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { KeyValue } from '../../../src/state/key-value.js';
import type { KTable } from '../../../src/topology/dsl/dsl-api.js';
import type { MaterializedOptions } from '../../../src/topology/dsl/dsl-options.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

const ints = { keySerde: Serdes.Integer(), valueSerde: Serdes.String() };
const toStringJoiner = (value: string | null, other: string | null): string => `${String(value)}+${String(other)}`;
type JoinType = 'join' | 'leftJoin' | 'outerJoin';

/** How the joined table is kept: computed on the fly, or in the merger's store with the cache off or on. */
const MATERIALIZATIONS: ReadonlyArray<{ readonly title: string; readonly options: MaterializedOptions<number, string> | undefined }> = [
  { title: 'not materialized', options: undefined },
  { title: 'materialized, caching off', options: { valueSerde: Serdes.String(), caching: false, storeType: 'in-memory' } },
  { title: 'materialized, caching on', options: { storeName: 'joined', valueSerde: Serdes.String(), caching: true } },
];

function joined(builder: StreamsBuilder, joinType: JoinType, options: MaterializedOptions<number, string> | undefined): KTable<number, string> {
  const table1 = builder.table('topic1', ints);
  const table2 = builder.table('topic2', ints);
  if (joinType === 'join') return table1.join(table2, toStringJoiner, options);
  if (joinType === 'leftJoin') return table1.leftJoin(table2, toStringJoiner, options);
  return table1.outerJoin(table2, toStringJoiner, options);
}

type Output = [key: number | null, value: string | null, timestamp: number | undefined];

/**
 * The input sequence of Kafka Streams' `KTableKTable{Inner,Left,Outer}JoinTest.testJoin`; each step's expected
 * output there is the oracle here.
 */
function runKafkaSequence(joinType: JoinType, options: MaterializedOptions<number, string> | undefined): Output[][] {
  const builder = new StreamsBuilder();
  joined(builder, joinType, options).toStream().to('output', ints);
  const driver = new TopologyTestDriver(builder.build());
  try {
    const topic1 = driver.createInputTopic('topic1', Serdes.Integer(), Serdes.String());
    const topic2 = driver.createInputTopic('topic2', Serdes.Integer(), Serdes.String());
    const output = driver.createOutputTopic('output', Serdes.Integer(), Serdes.String());
    const steps: Output[][] = [];
    const step = (pipe: () => void): void => {
      pipe();
      steps.push(output.readRecordsToList().map((record) => [record.key, record.value, record.timestamp]));
    };
    const keys = [0, 1, 2, 3];
    step(() => {
      for (const key of [0, 1]) topic1.pipeInput(key, `X${key}`, 5 + key);
      topic1.pipeInput(null, 'SomeVal', 42);
    });
    step(() => {
      for (const key of [0, 1]) topic2.pipeInput(key, `Y${key}`, 10 * key);
      topic2.pipeInput(null, 'AnotherVal', 73);
    });
    step(() => keys.forEach((key) => topic1.pipeInput(key, `XX${key}`, 7)));
    step(() => keys.forEach((key) => topic2.pipeInput(key, `YY${key}`, key * 5)));
    step(() => keys.forEach((key) => topic1.pipeInput(key, `XXX${key}`, 6)));
    step(() => {
      topic2.pipeInput(0, null, 5);
      topic2.pipeInput(1, null, 7);
    });
    step(() => keys.forEach((key) => topic1.pipeInput(key, `XXXX${key}`, 13)));
    step(() => {
      topic1.pipeInput(0, null, 0);
      topic1.pipeInput(1, null, 42);
      topic1.pipeInput(2, null, 5);
      topic1.pipeInput(3, null, 20);
    });
    const dropped = [...driver.metrics().values()].reduce((sum, metrics) => sum + metrics.droppedRecords.nullKeys, 0);
    assert.equal(dropped, 2, 'both null-key records are dropped and counted');
    return steps;
  } finally {
    driver.close();
  }
}

const EXPECTED: { readonly [J in JoinType]: Output[][] } = {
  // KTableKTableInnerJoinTest.doTestJoin
  join: [
    [],
    [[0, 'X0+Y0', 5], [1, 'X1+Y1', 10]],
    [[0, 'XX0+Y0', 7], [1, 'XX1+Y1', 10]],
    [[0, 'XX0+YY0', 7], [1, 'XX1+YY1', 7], [2, 'XX2+YY2', 10], [3, 'XX3+YY3', 15]],
    [[0, 'XXX0+YY0', 6], [1, 'XXX1+YY1', 6], [2, 'XXX2+YY2', 10], [3, 'XXX3+YY3', 15]],
    [[0, null, 6], [1, null, 7]],
    [[2, 'XXXX2+YY2', 13], [3, 'XXXX3+YY3', 15]],
    [[2, null, 10], [3, null, 20]],
  ],
  // KTableKTableLeftJoinTest.testJoin
  leftJoin: [
    [[0, 'X0+null', 5], [1, 'X1+null', 6]],
    [[0, 'X0+Y0', 5], [1, 'X1+Y1', 10]],
    [[0, 'XX0+Y0', 7], [1, 'XX1+Y1', 10], [2, 'XX2+null', 7], [3, 'XX3+null', 7]],
    [[0, 'XX0+YY0', 7], [1, 'XX1+YY1', 7], [2, 'XX2+YY2', 10], [3, 'XX3+YY3', 15]],
    [[0, 'XXX0+YY0', 6], [1, 'XXX1+YY1', 6], [2, 'XXX2+YY2', 10], [3, 'XXX3+YY3', 15]],
    [[0, 'XXX0+null', 6], [1, 'XXX1+null', 7]],
    [[0, 'XXXX0+null', 13], [1, 'XXXX1+null', 13], [2, 'XXXX2+YY2', 13], [3, 'XXXX3+YY3', 15]],
    [[0, null, 0], [1, null, 42], [2, null, 10], [3, null, 20]],
  ],
  // KTableKTableOuterJoinTest.testJoin
  outerJoin: [
    [[0, 'X0+null', 5], [1, 'X1+null', 6]],
    [[0, 'X0+Y0', 5], [1, 'X1+Y1', 10]],
    [[0, 'XX0+Y0', 7], [1, 'XX1+Y1', 10], [2, 'XX2+null', 7], [3, 'XX3+null', 7]],
    [[0, 'XX0+YY0', 7], [1, 'XX1+YY1', 7], [2, 'XX2+YY2', 10], [3, 'XX3+YY3', 15]],
    [[0, 'XXX0+YY0', 6], [1, 'XXX1+YY1', 6], [2, 'XXX2+YY2', 10], [3, 'XXX3+YY3', 15]],
    [[0, 'XXX0+null', 6], [1, 'XXX1+null', 7]],
    [[0, 'XXXX0+null', 13], [1, 'XXXX1+null', 13], [2, 'XXXX2+YY2', 13], [3, 'XXXX3+YY3', 15]],
    [[0, null, 0], [1, null, 42], [2, 'null+YY2', 10], [3, 'null+YY3', 20]],
  ],
};

for (const joinType of ['join', 'leftJoin', 'outerJoin'] as const) {
  describe(`KTable.${joinType}(KTable)`, () => {
    for (const { title, options } of MATERIALIZATIONS) {
      it(`emits Kafka Streams' results, timestamps and tombstones (${title})`, () => {
        assert.deepEqual(runKafkaSequence(joinType, options), EXPECTED[joinType]);
      });
    }
  });
}

/**
 * A join result re-grouped onto one key and folded into a log of adds (`+`) and retractions (`-`): the
 * retractions are the old values the join sends once a downstream node asks for them.
 */
function changeLog(joinType: JoinType, options: MaterializedOptions<number, string> | undefined, pipe: (driver: TopologyTestDriver) => void): string[] {
  const builder = new StreamsBuilder();
  joined(builder, joinType, options)
    .groupBy((_key, value) => KeyValue.pair('all', value), { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .aggregate(
      () => '',
      (_key, value, log) => `${log} +${value}`,
      (_key, value, log) => `${log} -${value}`,
      { valueSerde: Serdes.String(), caching: false },
    )
    .toStream()
    .to('log', { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  const driver = new TopologyTestDriver(builder.build());
  try {
    pipe(driver);
    return driver.createOutputTopic('log', Serdes.String(), Serdes.String()).readValuesToList().map((log) => String(log).trim());
  } finally {
    driver.close();
  }
}

describe('table-table join old values', () => {
  const sequence = (driver: TopologyTestDriver): void => {
    const topic1 = driver.createInputTopic('topic1', Serdes.Integer(), Serdes.String());
    const topic2 = driver.createInputTopic('topic2', Serdes.Integer(), Serdes.String());
    topic1.pipeInput(0, 'X0', 1);
    topic2.pipeInput(0, 'Y0', 2);
    topic1.pipeInput(0, 'XX0', 3);
    topic2.pipeInput(0, null, 4);
  };

  for (const { title, options } of MATERIALIZATIONS) {
    it(`inner: each update retracts the joined value it replaces (${title})`, () => {
      assert.deepEqual(changeLog('join', options, sequence), ['+X0+Y0', '+X0+Y0 -X0+Y0 +XX0+Y0', '+X0+Y0 -X0+Y0 +XX0+Y0 -XX0+Y0']);
    });

    it(`left: the other side's arrival and departure replace the left-only result (${title})`, () => {
      assert.deepEqual(changeLog('leftJoin', options, sequence), [
        '+X0+null',
        '+X0+null -X0+null +X0+Y0',
        '+X0+null -X0+null +X0+Y0 -X0+Y0 +XX0+Y0',
        '+X0+null -X0+null +X0+Y0 -X0+Y0 +XX0+Y0 -XX0+Y0 +XX0+null',
      ]);
    });
  }
});

describe('table-table join tombstones', () => {
  /** Key 0 is only in table 2 (at 1) when table 1, without a cache on its source, deletes the key it never had (at 2). */
  function deleteAbsent(joinType: JoinType, options: MaterializedOptions<number, string> | undefined, key = 0): Output[] {
    const builder = new StreamsBuilder();
    const table1 = builder.table('topic1', { ...ints, caching: false });
    const table2 = builder.table('topic2', { ...ints, caching: false });
    const result =
      joinType === 'join'
        ? table1.join(table2, toStringJoiner, options)
        : joinType === 'leftJoin'
          ? table1.leftJoin(table2, toStringJoiner, options)
          : table1.outerJoin(table2, toStringJoiner, options);
    result.toStream().to('output', ints);
    const driver = new TopologyTestDriver(builder.build());
    try {
      driver.createInputTopic('topic2', Serdes.Integer(), Serdes.String()).pipeInput(0, 'Y0', 1);
      driver.createInputTopic('topic1', Serdes.Integer(), Serdes.String()).pipeInput(key, null, 2);
      return driver.createOutputTopic('output', Serdes.Integer(), Serdes.String()).readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);
    } finally {
      driver.close();
    }
  }

  it('inner and left: a delete emits a tombstone while the other side has the key, joined before or not', () => {
    assert.deepEqual(deleteAbsent('join', undefined), [[0, null, 2]]);
    assert.deepEqual(deleteAbsent('leftJoin', undefined), [[0, null, 2]]);
  });

  it('a materialized merger swallows the delete of a result it never held, with or without its cache', () => {
    assert.deepEqual(deleteAbsent('join', { storeName: 'joined', valueSerde: Serdes.String() }), []);
    assert.deepEqual(deleteAbsent('join', { valueSerde: Serdes.String(), caching: false }), [[0, null, 2]]);
  });

  it('nothing is emitted for a key neither side has', () => {
    assert.deepEqual(deleteAbsent('join', undefined, 5), []);
    assert.deepEqual(deleteAbsent('leftJoin', undefined, 5), []);
    assert.deepEqual(deleteAbsent('outerJoin', undefined, 5), [[0, 'null+Y0', 1]], 'only the other side\'s own result');
  });

  it('outer: the other side alone still has a result, emitted again at the later timestamp', () => {
    assert.deepEqual(deleteAbsent('outerJoin', undefined), [[0, 'null+Y0', 1], [0, 'null+Y0', 2]]);
  });
});

describe('table-table join co-partitioning', () => {
  it("both tables' topics form one co-partition group, as in KTableKTableOuterJoinTest", () => {
    const builder = new StreamsBuilder();
    joined(builder, 'outerJoin', undefined).toStream().to('output', ints);
    const groups = builder.build().build().copartitionGroups.map((group) => group.map((topic) => topic.name).sort());
    assert.deepEqual(groups, [['topic1', 'topic2']]);
  });
});

describe('table-table join results looked up', () => {
  for (const { title, options } of MATERIALIZATIONS) {
    it(`a join result joins again through its view or its store (${title})`, () => {
      const builder = new StreamsBuilder();
      const table3 = builder.table('topic3', ints);
      joined(builder, 'join', options)
        .leftJoin(table3, (ab, c) => `${ab}|${String(c)}`)
        .toStream()
        .to('output', ints);
      const driver = new TopologyTestDriver(builder.build());
      try {
        driver.createInputTopic('topic1', Serdes.Integer(), Serdes.String()).pipeInput(7, 'A', 1);
        driver.createInputTopic('topic2', Serdes.Integer(), Serdes.String()).pipeInput(7, 'B', 2);
        driver.createInputTopic('topic3', Serdes.Integer(), Serdes.String()).pipeInput(7, 'C', 3);
        driver.createInputTopic('topic3', Serdes.Integer(), Serdes.String()).pipeInput(8, 'D', 4);
        const records = driver.createOutputTopic('output', Serdes.Integer(), Serdes.String()).readRecordsToList();
        assert.deepEqual(records.map((r) => [r.key, r.value, r.timestamp]), [[7, 'A+B|null', 2], [7, 'A+B|C', 3]]);
      } finally {
        driver.close();
      }
    });
  }

  it('a user-named merger store is queryable', () => {
    const builder = new StreamsBuilder();
    const result = joined(builder, 'outerJoin', { storeName: 'joined', valueSerde: Serdes.String() });
    assert.equal(result.queryableStoreName, 'joined');
    const driver = new TopologyTestDriver(builder.build());
    try {
      driver.createInputTopic('topic1', Serdes.Integer(), Serdes.String()).pipeInput(1, 'A', 1);
      driver.createInputTopic('topic2', Serdes.Integer(), Serdes.String()).pipeInput(2, 'B', 5);
      const store = driver.getKeyValueStore<number, string>('joined')!;
      assert.equal(store.get(1), 'A+null');
      assert.equal(store.get(2), 'null+B');
    } finally {
      driver.close();
    }
  });
});
