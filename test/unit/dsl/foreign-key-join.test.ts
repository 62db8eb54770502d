import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { KeyValue } from '../../../src/state/key-value.js';
import type { KTable } from '../../../src/topology/dsl/dsl-api.js';
import type { ForeignKeyJoinOptions } from '../../../src/topology/dsl/dsl-options.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { murmur3Hash128 } from '../../../src/topology/joins/fk/murmur3.js';
import { subscriptionResponseWrapperSerde } from '../../../src/topology/joins/fk/subscription-response-wrapper.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
/** Rows of `left` are `<foreign key>/<payload>`; `-/…` refers to no row. */
const foreignKeyOf = (value: string): string | null => (value.startsWith('-/') ? null : value.split('/')[0]!);
const joiner = (value: string, other: string | null): string => `${value}|${String(other)}`;
type Kind = 'join' | 'leftJoin';

function build(kind: Kind, options?: ForeignKeyJoinOptions<string, string, string>): { builder: StreamsBuilder; joined: KTable<string, string> } {
  const builder = new StreamsBuilder();
  const left = builder.table('left', strings);
  const right = builder.table('right', strings);
  const joined = kind === 'join' ? left.join(right, foreignKeyOf, joiner, options) : left.leftJoin(right, foreignKeyOf, joiner, options);
  return { builder, joined };
}

/** Pipes `[topic, key, value, timestamp]` steps and returns what each step emitted as `key=value@ts`. */
type Step = readonly [topic: 'left' | 'right', key: string, value: string | null, timestamp: number];

function run(builder: StreamsBuilder, steps: readonly Step[]) {
  const driver = new TopologyTestDriver(builder.build(), { applicationId: 'fk', cacheMaxBytes: 0 }, 0);
  const inputs = { left: driver.createInputTopic('left', Serdes.String(), Serdes.String()), right: driver.createInputTopic('right', Serdes.String(), Serdes.String()) };
  const output = driver.createOutputTopic('out', Serdes.String(), Serdes.String());
  const emitted = steps.map(([topic, key, value, timestamp]) => {
    inputs[topic].pipeInput(key, value, timestamp);
    return output.readRecordsToList().map((record) => `${record.key}=${record.value}@${record.timestamp}`);
  });
  return { driver, emitted };
}

/** The fixed foreign-key scenario of the join parity run, which matches Kafka Streams 4.1.2's driver record for record. */
const STEPS: readonly Step[] = [
  ['right', 'x', 'r0', 1],
  ['left', 'a', 'x/l1', 2],
  ['left', 'b', 'y/l2', 3],
  ['right', 'y', 'r3', 4],
  ['left', 'a', 'y/l4', 5],
  ['right', 'y', null, 6],
  ['left', 'b', null, 7],
  ['left', 'c', '-/l5', 8],
  ['left', 'c', null, 9],
];

describe('foreign-key table-table join', () => {
  it('inner: follows foreign-key changes, foreign and primary deletions, at the later timestamp', () => {
    const { builder, joined } = build('join');
    joined.toStream().to('out', strings);
    const { driver, emitted } = run(builder, STEPS);
    try {
      assert.deepEqual(emitted, [
        [],
        ['a=x/l1|r0@2'],
        [], // y has no row yet
        ['b=y/l2|r3@4'], // the foreign row arrives: every subscriber of y is answered
        ['a=y/l4|r3@5'], // a moves from x to y
        ['a=null@6', 'b=null@6'], // y deleted: both results deleted, in primary-key order, at the foreign time
        ['b=null@7'], // b deleted: a tombstone, though b had no result any more
        [], // a null foreign key: nothing to join
        [], // deleting a row that never referred to one
      ]);
      const [primaryTask] = driver.metrics().values();
      assert.equal(primaryTask!.droppedRecords.nullKeys, 2, 'the null-foreign-key insert and its deletion, as Kafka Streams 4.1.2 counts them');
    } finally {
      driver.close();
    }
  });

  it('left: every row has a result, null without a partner or foreign key; deleting the row deletes it', () => {
    const { builder, joined } = build('leftJoin');
    joined.toStream().to('out', strings);
    const { driver, emitted } = run(builder, STEPS);
    try {
      assert.deepEqual(emitted, [
        [],
        ['a=x/l1|r0@2'],
        ['b=y/l2|null@3'],
        ['b=y/l2|r3@4'],
        ['a=y/l4|r3@5'],
        ['a=y/l4|null@6', 'b=y/l2|null@6'],
        ['b=null@7'],
        ['c=-/l5|null@8'],
        ['c=null@9'],
      ]);
    } finally {
      driver.close();
    }
  });

  it('inner: a row whose foreign key becomes null loses its result', () => {
    const { builder, joined } = build('join');
    joined.toStream().to('out', strings);
    const { driver, emitted } = run(builder, [
      ['right', 'x', 'r0', 1],
      ['left', 'a', 'x/l1', 2],
      ['left', 'a', '-/l2', 3],
      ['left', 'a', 'x/l3', 4],
    ]);
    driver.close();
    assert.deepEqual(emitted, [[], ['a=x/l1|r0@2'], ['a=null@3'], ['a=x/l3|r0@4']]);
  });

  it('drops a response for a value the row no longer has (the hash check), and joins one that matches', () => {
    const { builder, joined } = build('join');
    joined.toStream().to('out', strings);
    const { driver, emitted } = run(builder, [
      ['right', 'x', 'r0', 1],
      ['left', 'a', 'x/l1', 2],
    ]);
    try {
      assert.deepEqual(emitted, [[], ['a=x/l1|r0@2']]);
      // Responses are answered out of order by the foreign side's tasks: one for an older value of `a` may come last.
      const responseTopic = 'fk-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic';
      const responses = driver.createInputTopic(responseTopic, Serdes.String(), subscriptionResponseWrapperSerde(Serdes.String()));
      const output = driver.createOutputTopic('out', Serdes.String(), Serdes.String());
      const response = (value: string, foreignValue: string) => ({ version: 0, hash: murmur3Hash128(Buffer.from(value)), foreignValue, primaryPartition: 0 });
      responses.pipeInput('a', response('y/l0', 'stale'), 3);
      assert.deepEqual(output.readRecordsToList(), []);
      const primaryTask = [...driver.metrics().values()][0]!;
      assert.equal(primaryTask.droppedRecords.staleRecords, 1);
      responses.pipeInput('a', response('x/l1', 'r1'), 4);
      assert.deepEqual(output.readKeyValuesToList(), [KeyValue.pair('a', 'x/l1|r1')]);
    } finally {
      driver.close();
    }
  });

  it('calls the extractor with (value, key) and the joiner with (value, otherValue, key)', () => {
    const builder = new StreamsBuilder();
    const left = builder.table('left', strings);
    const right = builder.table('right', strings);
    left
      .join(right, (value, key) => `${value}-${key}`, (value, other, key) => `${key}:${value}:${other}`)
      .toStream()
      .to('out', strings);
    const { driver, emitted } = run(builder, [
      ['right', 'v-k', 'r', 1],
      ['left', 'k', 'v', 2],
    ]);
    driver.close();
    assert.deepEqual(emitted, [[], ['k=k:v:r@2']]);
  });

  it('keeps the result in a named store, which can be queried, and caches updates when asked', () => {
    const { builder, joined } = build('join', { storeName: 'joined', valueSerde: Serdes.String(), caching: true });
    joined.toStream().to('out', strings);
    assert.equal(joined.queryableStoreName, 'joined');
    const driver = new TopologyTestDriver(builder.build(), { applicationId: 'fk', cacheMaxBytes: 1_000_000 }, 0);
    try {
      driver.createInputTopic('right', Serdes.String(), Serdes.String()).pipeInput('x', 'r0', 1);
      driver.createInputTopic('left', Serdes.String(), Serdes.String()).pipeInput('a', 'x/l1', 2);
      assert.equal(driver.getKeyValueStore<string, string>('joined')!.get('a'), 'x/l1|r0');
      assert.deepEqual(driver.createOutputTopic('out', Serdes.String(), Serdes.String()).readKeyValuesToList(), [KeyValue.pair('a', 'x/l1|r0')]);
    } finally {
      driver.close();
    }
  });

  it('sends old values downstream when a regrouping needs them (the result store is forced)', () => {
    const { builder, joined } = build('join', { valueSerde: Serdes.String() });
    joined
      .groupBy((_key, value) => KeyValue.pair(value.split('|')[1]!, value), strings)
      .count({ valueSerde: Serdes.Long() })
      .toStream()
      .to('out', { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
    const driver = new TopologyTestDriver(builder.build(), { applicationId: 'fk', cacheMaxBytes: 0 }, 0);
    try {
      const right = driver.createInputTopic('right', Serdes.String(), Serdes.String());
      const left = driver.createInputTopic('left', Serdes.String(), Serdes.String());
      right.pipeInput('x', 'r0', 1);
      right.pipeInput('y', 'r1', 1);
      left.pipeInput('a', 'x/l1', 2);
      left.pipeInput('a', 'y/l2', 3);
      const counts = driver.createOutputTopic('out', Serdes.String(), Serdes.Long()).readKeyValuesToList();
      assert.deepEqual(counts, [KeyValue.pair('r0', 1), KeyValue.pair('r0', 0), KeyValue.pair('r1', 1)]);
    } finally {
      driver.close();
    }
  });

  it('routes both topics through the given partitioners, called with a null value', () => {
    const calls: string[] = [];
    const { builder, joined } = build('join', {
      partitioner: (topic, key, value, partitions) => (calls.push(`response ${topic} ${key} ${String(value)} ${partitions}`), 0),
      otherPartitioner: (topic, key, value, partitions) => (calls.push(`subscription ${topic} ${key} ${String(value)} ${partitions}`), undefined),
    });
    joined.toStream().to('out', strings);
    const { driver, emitted } = run(builder, [
      ['right', 'x', 'r0', 1],
      ['left', 'a', 'x/l1', 2],
    ]);
    driver.close();
    assert.deepEqual(emitted, [[], ['a=x/l1|r0@2']]);
    assert.deepEqual(calls, [
      'subscription fk-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic x null 1',
      'response fk-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic a null 1',
    ]);
  });

  it('refuses tables whose serdes it cannot know, and tables of another builder', () => {
    const builder = new StreamsBuilder();
    const left = builder.table('left', strings);
    const mapped = builder.table('right', strings).mapValues((value) => value.length);
    assert.throws(() => left.join(mapped, (value) => value, (value, other) => `${value}${other}`), /needs the value serde of the other table/);
    const other = new StreamsBuilder().table('right', strings);
    assert.throws(() => left.leftJoin(other, (value) => value, (value, o) => `${value}${o}`), /leftJoin\(other, foreignKey, joiner\) needs a table of the same StreamsBuilder/);
  });
});
