import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import type { StreamJoinedOptions } from '../../../src/topology/dsl/dsl-options.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import type { TopologyTestDriverConfig } from '../../../src/testing/topology-test-driver.js';
import { JoinWindows } from '../../../src/windows/join-windows.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const joined: StreamJoinedOptions<string, string, string> = { ...strings, otherValueSerde: Serdes.String() };
const windows = JoinWindows.ofTimeDifferenceWithNoGrace(10);

function leftJoinDriver(config: TopologyTestDriverConfig, options = joined): TopologyTestDriver {
  const builder = new StreamsBuilder();
  builder
    .stream('left', strings)
    .leftJoin(builder.stream('right', strings), (l, r, key) => `${key}:${l}|${r}`, windows, options)
    .to('out', strings);
  return new TopologyTestDriver(builder.build(), config, 0);
}

function outputs(driver: TopologyTestDriver): string[] {
  return driver
    .createOutputTopic('out', Serdes.String(), Serdes.String())
    .readRecordsToList()
    .map((record) => `${record.value}@${record.timestamp}`);
}

describe('stream-stream join behaviour', () => {
  it('passes the key to the joiner last, after both values', () => {
    const driver = leftJoinDriver({ outerJoinEmitIntervalMs: 0 });
    try {
      driver.createInputTopic('left', Serdes.String(), Serdes.String()).pipeInput('k', 'A', 5);
      driver.createInputTopic('right', Serdes.String(), Serdes.String()).pipeInput('k', 'a', 7);
      assert.deepEqual(outputs(driver), ['k:A|a@7']);
    } finally {
      driver.close();
    }
  });

  it('throttles the emission of records without a partner to the emit interval of wall-clock time (1000 ms by default)', () => {
    // Kafka Streams 4.1.2's driver, same inputs and wall clock, emits exactly this: the very first record already
    // takes the throttle (its scan of the empty store runs, as `Long.MAX_VALUE + after` overflows), so nothing is
    // emitted until the wall clock moved 1000 ms and a record arrives.
    const driver = leftJoinDriver({});
    try {
      const left = driver.createInputTopic('left', Serdes.String(), Serdes.String());
      left.pipeInput('a', 'A', 0);
      left.pipeInput('b', 'B', 11);
      left.pipeInput('c', 'C', 22);
      driver.advanceWallClockTime(999);
      left.pipeInput('d', 'D', 33);
      assert.deepEqual(outputs(driver), []);
      driver.advanceWallClockTime(1);
      left.pipeInput('e', 'E', 44);
      assert.deepEqual(outputs(driver), ['a:A|null@0', 'b:B|null@11', 'c:C|null@22', 'd:D|null@33']);
    } finally {
      driver.close();
    }
  });

  it('scans only on a record that is not out of order', () => {
    const driver = leftJoinDriver({ outerJoinEmitIntervalMs: 0 });
    try {
      const left = driver.createInputTopic('left', Serdes.String(), Serdes.String());
      left.pipeInput('a', 'A', 100);
      left.pipeInput('b', 'B', 95);
      // Out of order (95 < 100): no scan; B waits, as its window is still open.
      left.pipeInput('c', 'C', 99);
      assert.deepEqual(outputs(driver), []);
      left.pipeInput('d', 'D', 111);
      assert.deepEqual(outputs(driver), ['b:B|null@95', 'c:C|null@99', 'a:A|null@100']);
    } finally {
      driver.close();
    }
  });

  it('joins through repartition topics when a side changed its keys', () => {
    const builder = new StreamsBuilder();
    const clicks = builder.stream('clicks', strings).selectKey((_user, page) => page);
    clicks.join(builder.stream('views', strings), (click, view) => `${click}+${view}`, windows, joined).to('out', strings);
    const driver = new TopologyTestDriver(builder.build(), {}, 0);
    try {
      driver.createInputTopic('views', Serdes.String(), Serdes.String()).pipeInput('/home', 'view', 1);
      driver.createInputTopic('clicks', Serdes.String(), Serdes.String()).pipeInput('alice', '/home', 2);
      assert.deepEqual(outputs(driver), ['/home+view@2']);
      assert.ok(driver.producedTopicNames().has('topology-test-driver-KSTREAM-KEY-SELECT-0000000001-repartition'));
    } finally {
      driver.close();
    }
  });

  it('change-logs the window stores with cleanup.policy=delete and the shared store compacted, or none without logging', () => {
    const configs = (options: StreamJoinedOptions<string, string, string>) => {
      const builder = new StreamsBuilder();
      builder.stream('left', strings).leftJoin(builder.stream('right', strings), (l, r) => `${l}${r}`, windows, options);
      return Object.fromEntries(builder.build().build().stores.map(({ name, builder: store }) => [name, store.loggingEnabled ? store.logConfig : null]));
    };
    const day = 24 * 60 * 60 * 1000;
    assert.deepEqual(configs({ ...joined, storeName: 'j', logging: { 'min.insync.replicas': '2' } }), {
      'j-this-join-store': { 'cleanup.policy': 'delete', 'retention.ms': String(20 + day), 'min.insync.replicas': '2' },
      'j-outer-other-join-store': { 'cleanup.policy': 'delete', 'retention.ms': String(20 + day), 'min.insync.replicas': '2' },
      'j-left-shared-join-store': { 'min.insync.replicas': '2' },
    });
    assert.deepEqual(configs({ ...joined, storeName: 'j', logging: false }), {
      'j-this-join-store': null,
      'j-outer-other-join-store': null,
      'j-left-shared-join-store': null,
    });
  });

  it('writes every put of the window stores to their changelogs, so a restarted task rejoins', () => {
    const driver = leftJoinDriver({ outerJoinEmitIntervalMs: 0 }, { ...joined, storeName: 'j' });
    try {
      driver.createInputTopic('left', Serdes.String(), Serdes.String()).pipeInput('k', 'A', 5);
      driver.createInputTopic('left', Serdes.String(), Serdes.String()).pipeInput('k', 'B', 5);
      const changelog = driver.createOutputTopic('topology-test-driver-j-this-join-store-changelog', Serdes.ByteArray(), Serdes.String());
      assert.deepEqual(changelog.readValuesToList(), ['A', 'B']);
      const shared = driver.createOutputTopic('topology-test-driver-j-left-shared-join-store-changelog', Serdes.ByteArray(), Serdes.ByteArray());
      assert.equal(shared.readRecordsToList().length, 2);
    } finally {
      driver.close();
    }
  });

  it('refuses at build a join whose store serdes the DSL cannot infer, naming the store', () => {
    const builder = new StreamsBuilder();
    const mapped = builder.stream('left', strings).map((k, v) => ({ key: k, value: v.length }));
    mapped.join(builder.stream('right', strings), (l, r) => `${l}${r}`, windows, { keySerde: Serdes.String() });
    // Source 0, map 1, right source 2, the left side's repartition topic 3-5, windowed 6 and 7, JOINTHIS 8.
    assert.throws(() => builder.build(), (error: unknown) => error instanceof TopologyError && /KSTREAM-JOINTHIS-0000000008-store needs a value serde/.test(error.message));
  });

  it('refuses a stream of another builder', () => {
    const other = new StreamsBuilder().stream('right', strings);
    const builder = new StreamsBuilder();
    assert.throws(() => builder.stream('left', strings).join(other, (l, r) => l + r, windows), TopologyError);
  });
});
