import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import {
  CLICKS_TOPIC,
  SESSIONS_TOPIC,
  sessionKeySerde,
  topology,
  type Click,
  type SessionSummary,
} from '../../../examples/user-sessions.js';

const minutes = (count: number): number => count * 60_000;
/** Output times back in minutes (NaN when missing, which fails the comparison visibly). */
const inMinutes = (ms: number | undefined): number => (ms ?? Number.NaN) / 60_000;

describe('user-sessions example', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(topology);
  });
  afterEach(() => driver.close());

  it('writes every session change, retracting replaced sessions with tombstones, and drops clicks after grace', () => {
    const clicks = driver.createInputTopic(CLICKS_TOPIC, Serdes.String(), Serdes.Json<Click>());
    const output = driver.createOutputTopic(SESSIONS_TOPIC, sessionKeySerde, Serdes.Json<SessionSummary>());
    /** `[user, start, end, summary or null, timestamp]` per output record, times in minutes. */
    const readChanges = () =>
      output.readRecordsToList().map(({ key, value, timestamp }) => [key?.key, inMinutes(key?.window.start), inMinutes(key?.window.end), value, inMinutes(timestamp)]);
    const summary = (clicks: number, durationMinutes: number): SessionSummary => ({ clicks, durationMs: minutes(durationMinutes) });

    // A session is a window [first click, last click]; every record written is stamped with its session's end.
    clicks.pipeInput('alice', { page: '/home' }, minutes(0));
    // 10 min later, within the 30-min gap: [0, 0] is replaced by [0, 10], so it is retracted first.
    clicks.pipeInput('alice', { page: '/cart' }, minutes(10));
    clicks.pipeInput('bob', { page: '/home' }, minutes(12));
    // 35 min after alice's last click: more than the gap, a new session.
    clicks.pipeInput('alice', { page: '/home' }, minutes(45));
    assert.deepEqual(readChanges(), [
      ['alice', 0, 0, summary(1, 0), 0],
      ['alice', 0, 0, null, 0],
      ['alice', 0, 10, summary(2, 10), 10],
      ['bob', 12, 12, summary(1, 0), 12],
      ['alice', 45, 45, summary(1, 0), 45],
    ]);

    // Out of order, 18 min after [0, 10] and 17 min before [45, 45]: the click bridges both sessions. Both are
    // retracted (in store order), and one session [0, 45] holds all four clicks, their counts merged.
    clicks.pipeInput('alice', { page: '/pay' }, minutes(28));
    assert.deepEqual(readChanges(), [
      ['alice', 0, 10, null, 10],
      ['alice', 45, 45, null, 45],
      ['alice', 0, 45, summary(4, 45), 45],
    ]);

    // A click inside a session leaves its window as it is. The session is removed and written again (the click's
    // own window [5, 5] differs from the merged one), but the store's cache, on by default as in Kafka Streams,
    // merges both writes into one update: no tombstone reaches the output.
    clicks.pipeInput('alice', { page: '/help' }, minutes(5));
    assert.deepEqual(readChanges(), [['alice', 0, 45, summary(5, 45), 45]]);

    // Stream time 100 min. bob's click at 13 min would extend [12, 12] to [12, 13]; that session closed when stream
    // time passed 13 + 30 (gap) + 10 (grace) = 53 min, so the click is dropped and counted as late.
    clicks.pipeInput('bob', { page: '/home' }, minutes(100));
    clicks.pipeInput('bob', { page: '/late' }, minutes(13));
    assert.deepEqual(readChanges(), [['bob', 100, 100, summary(1, 0), 100]]);
    const [metrics] = driver.metrics().values();
    assert.equal(metrics?.droppedRecords.lateRecords, 1);
  });
});
