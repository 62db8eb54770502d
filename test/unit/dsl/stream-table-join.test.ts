import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Headers } from '../../../src/core/headers.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { JoinedOptions } from '../../../src/topology/dsl/dsl-options.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { TestRecord, TopologyTestDriver } from '../../../src/testing/index.js';

const S = Serdes.String();
const c = { keySerde: S, valueSerde: S };

interface JoinSetup {
  readonly leftJoin?: boolean;
  readonly versionedRetentionMs?: number;
  readonly joined?: JoinedOptions<string, string, string>;
  readonly rekey?: boolean;
}

/** `left` (stream) joined with `right` (table), results to `out` as `value|tableValue`. */
function joinDriver(setup: JoinSetup = {}): { driver: TopologyTestDriver; stream: (key: string | null, value: string | null, ts: number) => void; table: (key: string, value: string | null, ts: number) => void; output: () => string[] } {
  const builder = new StreamsBuilder();
  const table =
    setup.versionedRetentionMs === undefined
      ? builder.table<string, string>('right', c)
      : builder.table<string, string>('right', { ...c, storeName: 'right-store', versioned: { historyRetentionMs: setup.versionedRetentionMs } });
  let stream = builder.stream<string, string>('left', c);
  if (setup.rekey === true) stream = stream.selectKey((key) => key);
  const joiner = (value: string, tableValue: string | null, key: string): string => `${value}|${tableValue}${key === null ? '(null key)' : ''}`;
  const joined = setup.joined ?? c;
  (setup.leftJoin === true ? stream.leftJoin(table, joiner, joined) : stream.join(table, joiner, joined)).to('out', c);
  const driver = new TopologyTestDriver(builder.build(), { applicationId: 'app' });
  const left = driver.createInputTopic('left', S, S);
  const right = driver.createInputTopic('right', S, S);
  const out = driver.createOutputTopic('out', S, S);
  return {
    driver,
    stream: (key, value, ts) => left.pipeInput(key, value, ts),
    table: (key, value, ts) => right.pipeInput(key, value, ts),
    output: () => out.readRecordsToList().map((r) => `${r.key}:${r.value}@${r.timestamp}`),
  };
}

function dropped(driver: TopologyTestDriver): { nullKeys: number; nullValues: number } {
  let nullKeys = 0;
  let nullValues = 0;
  for (const metrics of driver.metrics().values()) {
    nullKeys += metrics.droppedRecords.nullKeys;
    nullValues += metrics.droppedRecords.nullValues;
  }
  return { nullKeys, nullValues };
}

describe('stream-table join (KStreamKTableJoinProcessor)', () => {
  it('joins each stream record with the current table value; table updates never emit', () => {
    const { driver, stream, table, output } = joinDriver();
    try {
      stream('k', 'early', 0);
      table('k', 't1', 1);
      stream('k', 'a', 5);
      table('k', 't2', 6);
      stream('k', 'b', 3);
      stream('other', 'x', 7);
      assert.deepEqual(output(), ['k:a|t1@5', 'k:b|t2@3'], 'the stream timestamp is kept; without a versioned table the latest value joins');
    } finally {
      driver.close();
    }
  });

  it('left join emits null for a missing or deleted table value', () => {
    const { driver, stream, table, output } = joinDriver({ leftJoin: true });
    try {
      stream('k', 'a', 0);
      table('k', 't1', 1);
      stream('k', 'b', 2);
      table('k', null, 3);
      stream('k', 'c', 4);
      assert.deepEqual(output(), ['k:a|null@0', 'k:b|t1@2', 'k:c|null@4']);
    } finally {
      driver.close();
    }
  });

  it('inner join skips a tombstoned key', () => {
    const { driver, stream, table, output } = joinDriver();
    try {
      table('k', 't1', 1);
      table('k', null, 2);
      stream('k', 'a', 3);
      assert.deepEqual(output(), []);
    } finally {
      driver.close();
    }
  });

  it('out-of-order table updates: the plain table keeps the last write, a versioned one the newest timestamp', () => {
    const plain = joinDriver();
    const versioned = joinDriver({ versionedRetentionMs: 100 });
    try {
      for (const { table, stream } of [plain, versioned]) {
        table('k', 'new', 10);
        table('k', 'old', 5);
        stream('k', 'a', 20);
      }
      assert.deepEqual(plain.output(), ['k:a|old@20']);
      assert.deepEqual(versioned.output(), ['k:a|new@20']);
    } finally {
      plain.driver.close();
      versioned.driver.close();
    }
  });

  it('looks a versioned table up as of the stream record timestamp (inclusive), and finds nothing before its first version', () => {
    const { driver, stream, table, output } = joinDriver({ versionedRetentionMs: 100, leftJoin: true });
    try {
      table('k', 'v10', 10);
      table('k', 'v20', 20);
      table('k', null, 30);
      stream('k', 'a', 9);
      stream('k', 'b', 10);
      stream('k', 'c', 19);
      stream('k', 'd', 20);
      stream('k', 'e', 30);
      assert.deepEqual(output(), ['k:a|null@9', 'k:b|v10@10', 'k:c|v10@19', 'k:d|v20@20', 'k:e|null@30']);
    } finally {
      driver.close();
    }
  });

  it('inner join drops null keys and null values and counts them', () => {
    const { driver, stream, table, output } = joinDriver();
    try {
      table('k', 't', 0);
      stream(null, 'a', 1);
      stream('k', null, 2);
      stream('k', 'b', 3);
      assert.deepEqual(output(), ['k:b|t@3']);
      assert.deepEqual(dropped(driver), { nullKeys: 1, nullValues: 1 });
    } finally {
      driver.close();
    }
  });

  it('left join joins a null key with null (Kafka Streams 4.1) but still drops a null value', () => {
    const { driver, stream, output } = joinDriver({ leftJoin: true });
    try {
      stream(null, 'a', 1);
      stream('k', null, 2);
      stream(null, null, 3);
      assert.deepEqual(output(), ['null:a|null(null key)@1']);
      assert.deepEqual(dropped(driver), { nullKeys: 1, nullValues: 1 });
    } finally {
      driver.close();
    }
  });

  it('a repartitioned left join keeps null keys through the repartition topic (KIP-962)', () => {
    const { driver, stream, table, output } = joinDriver({ leftJoin: true, rekey: true });
    try {
      table('k', 't', 0);
      stream(null, 'a', 1);
      stream('k', 'b', 2);
      assert.deepEqual(output(), ['null:a|null(null key)@1', 'k:b|t@2']);
    } finally {
      driver.close();
    }
  });

  it('a repartitioned inner join drops null keys in the repartition filter', () => {
    const { driver, stream, table, output } = joinDriver({ rekey: true });
    try {
      table('k', 't', 0);
      stream(null, 'a', 1);
      stream('k', 'b', 2);
      assert.deepEqual(output(), ['k:b|t@2']);
    } finally {
      driver.close();
    }
  });

  it('keeps the stream record headers', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('left', c)
      .join(builder.table<string, string>('right', c), (value, tableValue) => `${value}|${tableValue}`)
      .to('out', c);
    const driver = new TopologyTestDriver(builder.build());
    try {
      driver.createInputTopic('right', S, S).pipeInput('k', 't', 0);
      driver.createInputTopic('left', S, S).pipeInput(new TestRecord('k', 'a', 1, Headers.of([{ key: 'h', value: Buffer.from('1') }])));
      const [record] = driver.createOutputTopic('out', S, S).readRecordsToList();
      assert.equal(record!.headers.lastHeader('h')?.value?.toString(), '1');
    } finally {
      driver.close();
    }
  });
});

describe('stream-table join with a grace period (KIP-923)', () => {
  const grace = (leftJoin = false) => joinDriver({ versionedRetentionMs: 100, leftJoin, joined: { ...c, gracePeriodMs: 10 } });

  it('holds records until stream time passes ts + grace (exactly at grace included), then joins them as of their own time', () => {
    const { driver, stream, table, output } = grace();
    try {
      table('k', 't0', 0);
      stream('k', 'a', 5);
      table('k', 't4', 4);
      assert.deepEqual(output(), [], 'buffered: stream time 5 has not passed 5 + 10');
      stream('k', 'b', 14);
      assert.deepEqual(output(), [], 'still buffered at stream time 14');
      stream('k', 'c', 15);
      assert.deepEqual(output(), ['k:a|t4@5'], 'a@5 is released at exactly 5 + 10, joined with the late t4@4');
      table('k', 't20', 20);
      stream('other', 'x', 40);
      assert.deepEqual(output(), ['k:b|t4@14', 'k:c|t4@15'], 'each joins as of its own timestamp, not the newer t20');
    } finally {
      driver.close();
    }
  });

  it('joins a record older than stream time − grace at once, without releasing others', () => {
    const { driver, stream, table, output } = grace();
    try {
      table('k', 't0', 0);
      stream('k', 'a', 30);
      stream('k', 'late', 19);
      assert.deepEqual(output(), ['k:late|t0@19'], '19 < 30 − 10: joined at once; a@30 stays buffered');
      stream('k', 'edge', 20);
      assert.deepEqual(output(), ['k:edge|t0@20'], '20 = 30 − 10 is buffered, and released by the eviction that follows its put');
      stream('k', 'z', 40);
      assert.deepEqual(output(), ['k:a|t0@30']);
    } finally {
      driver.close();
    }
  });

  it('releases in timestamp order, then key bytes, then arrival', () => {
    const { driver, stream, table, output } = grace(true);
    try {
      table('a', 'A', 0);
      table('b', 'B', 0);
      stream('b', 'b1', 7);
      stream('b', 'b0', 5);
      stream('a', 'a0', 5);
      stream('b', 'b0bis', 5);
      stream('a', 'a1', 6);
      stream('x', 'flush', 100);
      assert.deepEqual(output(), ['a:a0|A@5', 'b:b0|B@5', 'b:b0bis|B@5', 'a:a1|A@6', 'b:b1|B@7']);
    } finally {
      driver.close();
    }
  });

  it('drops null values, and joins null keys of a left join at once', () => {
    const { driver, stream, output } = grace(true);
    try {
      stream('k', 'a', 5);
      stream(null, 'n', 6);
      stream('k', null, 50);
      assert.deepEqual(output(), ['null:n|null(null key)@6'], 'the null value neither joins nor moves the buffer’s stream time');
      assert.deepEqual(dropped(driver), { nullKeys: 0, nullValues: 1 });
      stream('k', 'b', 15);
      assert.deepEqual(output(), ['k:a|null@5']);
    } finally {
      driver.close();
    }
  });

  it('keeps each buffered record’s headers', () => {
    const builder = new StreamsBuilder();
    const table = builder.table<string, string>('right', { ...c, storeName: 'vs', versioned: { historyRetentionMs: 100 } });
    builder
      .stream<string, string>('left', c)
      .leftJoin(table, (value, tableValue) => `${value}|${tableValue}`, { ...c, gracePeriodMs: 10 })
      .to('out', c);
    const driver = new TopologyTestDriver(builder.build());
    try {
      const left = driver.createInputTopic('left', S, S);
      left.pipeInput(new TestRecord('k', 'a', 1, Headers.of([{ key: 'h', value: Buffer.from('a') }, { key: 'n', value: null }])));
      left.pipeInput(new TestRecord('k', 'b', 20, Headers.of([{ key: 'h', value: Buffer.from('b') }])));
      const [record] = driver.createOutputTopic('out', S, S).readRecordsToList();
      assert.equal(record!.value, 'a|null');
      assert.equal(record!.timestamp, 1);
      assert.deepEqual(
        record!.headers.toArray().map(({ key, value }) => `${key}=${value === null ? 'null' : value.toString()}`),
        ['h=a', 'n=null'],
      );
    } finally {
      driver.close();
    }
  });

  it('buffers in a change-logged <name>-Buffer store', () => {
    const { driver, stream, output } = joinDriver({ versionedRetentionMs: 100, joined: { ...c, gracePeriodMs: 10, name: 'late' } });
    try {
      stream('k', 'a', 5);
      assert.deepEqual(output(), []);
      assert.ok(driver.getStateStore('late-Buffer') !== null);
      const changelog = driver.createOutputTopic('app-late-Buffer-changelog', Serdes.ByteArray(), Serdes.ByteArray()).readRecordsToList();
      assert.ok(changelog.length > 0, 'the buffered record reaches the changelog');
    } finally {
      driver.close();
    }
  });
});
