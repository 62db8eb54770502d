import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KafkaStreams,
  LATE_RECORD_HEADERS,
  Serdes,
  SessionWindows,
  StreamsBuilder,
  StreamsError,
  TimeWindows,
  type Topology,
} from '../../../src/index.js';
import { eventually, kafka, uniqueName } from '../support/broker.js';
import { consumeUntil } from '../support/consume.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

const SIZE = 10_000;
const ADVANCE = 5_000;
const GAP = 5_000;
/** Long enough that no window leaves the stores while the test queries them. */
const RETENTION = 3_600_000;

/** Hopping click counts and click sessions per user, both queryable by name. */
function clickWindowsTopology(input: string): Topology {
  const builder = new StreamsBuilder();
  const clicks = builder.stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).groupByKey();
  clicks.windowedBy(TimeWindows.ofSizeWithNoGrace(SIZE).advanceBy(ADVANCE)).count({ storeName: 'clicks-per-window', retentionMs: RETENTION });
  clicks.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(GAP)).count({ storeName: 'click-sessions', retentionMs: RETENTION });
  return builder.build();
}

test('windowed and session stores answer queries through KafkaStreams, and late records reach the late-records topic', async () => {
  const client = kafka();
  const input = uniqueName('clicks');
  const late = uniqueName('late-clicks');
  const applicationId = uniqueName('windows-app');
  const stateDir = tempStateDir();
  // Recent, so the broker keeps the timestamps as given; aligned, so window starts are easy to name.
  const base = Math.floor((Date.now() - 600_000) / SIZE) * SIZE;
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }], waitForLeaders: true });
  const config = streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', commitIntervalMs: 100, lateRecordsTopic: late });
  const streams = new KafkaStreams(clickWindowsTopology(input), config);
  const producer = client.producer();
  try {
    await streams.start();
    await producer.connect();
    const click = (key: string, offsetMs: number): { key: string; value: string; timestamp: string } => ({ key, value: 'click', timestamp: String(base + offsetMs) });
    // One send per key keeps each key's records in order on its partition: alice's last record arrives 28.5 s of
    // event time after the one at +30 s, when every window and session containing +1.5 s has closed.
    await producer.send({ topic: input, messages: [click('alice', 1_000), click('alice', 2_000), click('alice', 12_000), click('alice', 30_000), click('alice', 1_500)] });
    await producer.send({ topic: input, messages: [click('bob', 3_000)] });
    await awaitState(streams, 'RUNNING');

    const windows = streams.windowStore<string, number>('clicks-per-window');
    const aliceWindows = (): Array<[number, number]> => [...windows.fetch('alice', base - ADVANCE, base + 30_000)].map(({ key, value }) => [key - base, value]);
    const expectedAlice = [[-5_000, 2], [0, 2], [5_000, 1], [10_000, 1], [25_000, 1], [30_000, 1]];
    await eventually('alice windows', () => JSON.stringify(aliceWindows()) === JSON.stringify(expectedAlice));
    assert.equal(windows.fetch('bob', base), 1);
    assert.equal(windows.fetch('bob', base + ADVANCE), null);

    const sessions = streams.sessionStore<string, number>('click-sessions');
    const aliceSessions = [...sessions.fetch('alice')].map(({ key, value }) => [key.window.start - base, key.window.end - base, value]);
    assert.deepEqual(aliceSessions, [[1_000, 2_000, 2], [12_000, 12_000, 1], [30_000, 30_000, 1]]);
    assert.equal(sessions.fetchSession('bob', base + 3_000, base + 3_000), 1);

    // Both aggregations dropped alice's +1.5 s record: one copy each on the late-records topic, with its coordinates.
    const copies = await consumeUntil(late, (messages) => messages.length >= 2);
    assert.equal(copies.length, 2);
    for (const copy of copies) {
      assert.equal(copy.key, 'alice');
      assert.equal(copy.headers[LATE_RECORD_HEADERS.topic], input);
      assert.equal(copy.headers[LATE_RECORD_HEADERS.timestamp], String(base + 1_500));
    }
    assert.equal(new Set(copies.map((copy) => copy.headers[LATE_RECORD_HEADERS.processor])).size, 2);
    const lateRecords = [...streams.metrics().tasks.values()].reduce((sum, task) => sum + task.droppedRecords.lateRecords, 0);
    assert.equal(lateRecords, 2);

    // A window store is not a key-value store: asking for the wrong kind fails instead of looking empty.
    assert.throws(() => [...streams.store('clicks-per-window').all()], (error) => error instanceof StreamsError && error.code === 'ILLEGAL_STATE');
  } finally {
    await producer.disconnect();
    assert.equal(await streams.close(), true);
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, late] });
    removeDir(stateDir);
  }
});
