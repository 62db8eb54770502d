import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Serdes } from '../../../../src/core/serdes.js';
import type { ChangelogReader, ChangelogReadRequest, KafkaAdmin, PartitionTailer, TailPosition } from '../../../../src/runtime/client/kafka-client.js';
import { GlobalStateUpdater } from '../../../../src/runtime/global/global-state-updater.js';
import type { RawRecord, TopicPartition } from '../../../../src/processing/raw-record.js';
import { silentLogger } from '../../../../src/processing/task-logger.js';
import type { TimestampedKeyValueStore } from '../../../../src/state/timestamped-key-value-store.js';
import { StreamsBuilder } from '../../../../src/topology/dsl/streams-builder.js';
import type { StoreType } from '../../../../src/topology/dsl/dsl-options.js';
import { raw } from '../task-harness.js';

const TOPIC = 'regions';

/** A two-partition topic: what the fake admin, reader and tailer serve. */
class FakeTopic {
  readonly partitions: RawRecord[][] = [[], []];
  logStart = 0;

  append(partition: number, key: string | null, value: string | null): RawRecord {
    const record = raw(TOPIC, partition, 1, key, value, this.partitions[partition]!.length);
    this.partitions[partition]!.push(record);
    return record;
  }

  admin(): KafkaAdmin {
    const offsets = (pick: (records: RawRecord[]) => number) => async (requested: readonly TopicPartition[]) =>
      new Map(requested.map((p) => [`${p.topic}:${p.partition}`, pick(this.partitions[p.partition]!)]));
    return {
      partitionCounts: async (topics: readonly string[]) => new Map(topics.map((t) => [t, t === TOPIC ? 2 : undefined])),
      endOffsets: offsets((records) => records.length),
      beginningOffsets: offsets(() => this.logStart),
    } as unknown as KafkaAdmin;
  }
}

class FakeReader implements ChangelogReader {
  readonly requests: ChangelogReadRequest[][] = [];
  constructor(private readonly topic: FakeTopic) {}
  async read(requests: readonly ChangelogReadRequest[], onRecords: (records: readonly RawRecord[]) => void): Promise<void> {
    this.requests.push([...requests]);
    for (const r of requests) {
      const records = this.topic.partitions[r.partition]!.filter((record) => record.offset >= r.from && record.offset < r.to);
      if (records.length > 0) onRecords(records);
    }
  }
}

class FakeTailer implements PartitionTailer {
  positions: readonly TailPosition[] = [];
  push: (records: readonly RawRecord[]) => void = () => undefined;
  error: (error: unknown) => void = () => undefined;
  stopped = false;
  async start(positions: readonly TailPosition[], onRecords: (records: readonly RawRecord[]) => void, onError: (error: unknown) => void): Promise<void> {
    this.positions = positions;
    this.push = (records) => {
      try {
        onRecords(records);
      } catch (error) {
        onError(error);
      }
    };
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

function updater(topic: FakeTopic, databasePath: string, storeType: StoreType = 'persistent', wipe = () => rmSync(databasePath, { force: true })) {
  const builder = new StreamsBuilder();
  builder.globalTable(TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.String(), storeName: 'regions-store', storeType });
  const reader = new FakeReader(topic);
  const tailer = new FakeTailer();
  const global = new GlobalStateUpdater({
    topology: builder.build().build(),
    taskConfig: { applicationId: 'app' },
    admin: topic.admin(),
    reader,
    tailer,
    databasePath,
    wipe,
    commitIntervalMs: 60_000,
    logger: silentLogger,
  });
  const get = (key: string) => (global.stateStore('regions-store') as TimestampedKeyValueStore<string, string> | undefined)?.get(key)?.value ?? null;
  return { global, reader, tailer, get };
}

function withDir(body: (path: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kstreams-global-'));
  return body(join(dir, 'global', 'global.sqlite')).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('restores every partition, tails from the end offsets, and after a restart reads only the tail', () =>
  withDir(async (path) => {
    const topic = new FakeTopic();
    topic.append(0, 'u1', 'eu');
    topic.append(1, 'u2', 'us');
    topic.append(0, 'u1', 'us');
    topic.append(1, null, 'no key');
    const first = updater(topic, path);
    await first.global.start();
    assert.equal(first.global.state, 'RUNNING');
    assert.deepEqual([first.get('u1'), first.get('u2')], ['us', 'us']);
    assert.deepEqual(first.tailer.positions, [
      { topic: TOPIC, partition: 0, offset: 2 },
      { topic: TOPIC, partition: 1, offset: 2 },
    ]);
    first.tailer.push([topic.append(1, 'u2', null), topic.append(1, 'u3', 'apac')]);
    assert.deepEqual([first.get('u2'), first.get('u3')], [null, 'apac']);
    assert.equal(first.global.metrics().droppedRecords.nullKeys, 1);
    await first.global.close();
    assert.equal(first.tailer.stopped, true);

    topic.append(0, 'u4', 'eu');
    const second = updater(topic, path);
    await second.global.start();
    try {
      assert.deepEqual(second.reader.requests[0], [
        { topic: TOPIC, partition: 0, from: 2, to: 3 },
        { topic: TOPIC, partition: 1, from: 4, to: 4 },
      ]);
      assert.equal(second.global.metrics().restoredRecords, 1);
      assert.deepEqual(['u1', 'u2', 'u3', 'u4'].map(second.get), ['us', null, 'apac', 'eu']);
    } finally {
      await second.global.close();
    }
  }));

test('a stored position outside the topic (recreated, or cut by retention) wipes the state and reads from the beginning', () =>
  withDir(async (path) => {
    const topic = new FakeTopic();
    topic.append(0, 'u1', 'eu');
    topic.append(0, 'u2', 'us');
    const first = updater(topic, path);
    await first.global.start();
    await first.global.close();

    topic.partitions[0] = [];
    topic.append(0, 'u9', 'apac');
    let wiped = 0;
    const second = updater(topic, path, 'persistent', () => {
      wiped++;
      rmSync(path, { force: true });
    });
    await second.global.start();
    try {
      assert.equal(wiped, 1);
      assert.deepEqual(['u1', 'u2', 'u9'].map(second.get), [null, null, 'apac']);
    } finally {
      await second.global.close();
    }

    topic.logStart = 5;
    const third = updater(topic, path, 'persistent', () => {
      wiped++;
      rmSync(path, { force: true });
    });
    await third.global.start();
    await third.global.close();
    assert.equal(wiped, 2, 'a position below the log start means records were lost to retention');
  }));

test('an in-memory global store reads its topic from the beginning at every start', () =>
  withDir(async (path) => {
    const topic = new FakeTopic();
    topic.append(0, 'u1', 'eu');
    const first = updater(topic, path, 'in-memory');
    await first.global.start();
    await first.global.close();
    const second = updater(topic, path, 'in-memory');
    await second.global.start();
    try {
      assert.equal(second.global.metrics().restoredRecords, 1);
      assert.equal(second.get('u1'), 'eu');
    } finally {
      await second.global.close();
    }
  }));

test('a record the deserialization policy refuses while tailing stops the updater, naming the record', () =>
  withDir(async (path) => {
    const topic = new FakeTopic();
    const builder = new StreamsBuilder();
    builder.globalTable(TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Integer(), storeName: 'counts' });
    const tailer = new FakeTailer();
    const global = new GlobalStateUpdater({
      topology: builder.build().build(),
      taskConfig: { applicationId: 'app', deserializationExceptionHandler: 'fail' },
      admin: topic.admin(),
      reader: new FakeReader(topic),
      tailer,
      databasePath: path,
      wipe: () => undefined,
      commitIntervalMs: 60_000,
      logger: silentLogger,
    });
    await global.start();
    tailer.push([topic.append(1, 'k', 'not four bytes')]);
    const error = await global.failure();
    assert.equal(global.state, 'ERROR');
    assert.match(String(error), /cannot deserialize record for source KSTREAM-SOURCE-0000000000 \(deserializationExceptionHandler: 'fail'\).*topic=regions, partition=1, offset=0, task=global/);
    await global.close();
  }));

test('a missing global topic fails the start as a missing source topic', () =>
  withDir(async (path) => {
    const builder = new StreamsBuilder();
    builder.globalTable('nowhere', { keySerde: Serdes.String(), valueSerde: Serdes.String() });
    const topic = new FakeTopic();
    const global = new GlobalStateUpdater({
      topology: builder.build().build(),
      taskConfig: { applicationId: 'app' },
      admin: topic.admin(),
      reader: new FakeReader(topic),
      tailer: new FakeTailer(),
      databasePath: path,
      wipe: () => undefined,
      commitIntervalMs: 60_000,
      logger: silentLogger,
    });
    await assert.rejects(global.start(), { code: 'MISSING_SOURCE_TOPIC', message: /source topic\(s\) nowhere do not exist/ });
    await global.close();
  }));
