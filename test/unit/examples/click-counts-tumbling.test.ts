import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import {
  CLICK_COUNTS_TOPIC,
  CLICKS_TOPIC,
  topology,
  windowedUserSerde,
  type Click,
} from '../../../examples/click-counts-tumbling.js';

/** Event times in minutes and seconds, to read the scenario like a clock. */
const at = (minutes: number, seconds = 0): number => minutes * 60_000 + seconds * 1_000;

describe('click-counts-tumbling example', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(topology);
  });
  afterEach(() => driver.close());

  it('writes one final count per user and 5-minute window, counting out-of-order clicks within the grace period', () => {
    const clicks = driver.createInputTopic(CLICKS_TOPIC, Serdes.String(), Serdes.Json<Click>());
    const output = driver.createOutputTopic(CLICK_COUNTS_TOPIC, windowedUserSerde, Serdes.Long());
    const readFinalCounts = () =>
      output.readRecordsToList().map(({ key, value, timestamp }) => [key?.key, key?.window.start, key?.window.end, value, timestamp]);

    clicks.pipeInput('alice', { page: '/home' }, at(0, 30));
    clicks.pipeInput('bob', { page: '/home' }, at(1));
    clicks.pipeInput('alice', { page: '/cart' }, at(5) - 1);
    // 5:00 opens window [5:00, 10:00); [0:00, 5:00) stays open until stream time reaches its end + grace = 6:00.
    clicks.pipeInput('alice', { page: '/pay' }, at(5));
    // Out of order, within grace (stream time 5:00 < 6:00): still counted in [0:00, 5:00).
    clicks.pipeInput('bob', { page: '/cart' }, at(4, 30));
    assert.deepEqual(readFinalCounts(), [], 'no window has closed yet, so nothing is final');

    // Stream time 6:00 = end + grace of [0:00, 5:00): it closes, and both users' counts in it are written, in key
    // order. Each record's timestamp is that of the latest click in its window.
    clicks.pipeInput('carol', { page: '/home' }, at(6));
    assert.deepEqual(readFinalCounts(), [
      ['alice', at(0), at(5), 2, at(5) - 1],
      ['bob', at(0), at(5), 2, at(4, 30)],
    ]);

    // Too late: [0:00, 5:00) has closed. The click is dropped, and counted as such.
    clicks.pipeInput('bob', { page: '/late' }, at(4, 50));
    // Stream time 11:00 ≥ 10:00 + 1:00 closes [5:00, 10:00).
    clicks.pipeInput('alice', { page: '/home' }, at(11));
    assert.deepEqual(readFinalCounts(), [
      ['alice', at(5), at(10), 1, at(5)],
      ['carol', at(5), at(10), 1, at(6)],
    ]);

    const [metrics] = driver.metrics().values();
    assert.equal(metrics?.droppedRecords.lateRecords, 1);
  });
});
