import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { AVERAGES_TOPIC, READINGS_TOPIC, topology, windowedSensorSerde } from '../../../examples/hopping-average.js';

/** Event times in minutes and seconds, to read the scenario like a clock. */
const at = (minutes: number, seconds = 0): number => minutes * 60_000 + seconds * 1_000;

describe('hopping-average example', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(topology);
  });
  afterEach(() => driver.close());

  it('writes each 5-minute average once, when its window closes, one window per minute', () => {
    const readings = driver.createInputTopic(READINGS_TOPIC, Serdes.String(), Serdes.Double());
    const output = driver.createOutputTopic(AVERAGES_TOPIC, windowedSensorSerde, Serdes.Double());
    const readAverages = () =>
      output.readRecordsToList().map(({ key, value, timestamp }) => [key?.key, key?.window.start, key?.window.end, value, timestamp]);

    // s1 reads 10, 20, …, 70 at ten past each minute 0…6. A reading at m:10 belongs to the five windows starting at
    // minutes m-4 … m (none starts before 0).
    for (let minute = 0; minute <= 6; minute++) readings.pipeInput('s1', 10 * (minute + 1), at(minute, 10));
    // A window closes when stream time reaches its end + 30 s grace. Stream time 6:10 has closed [0:00, 5:00) only
    // (5:30 ≤ 6:10 < 6:30): the mean of 10…50, stamped with its latest reading's time.
    assert.deepEqual(readAverages(), [['s1', at(0), at(5), 30, at(4, 10)]]);

    // Out of order: 4:45 belongs to the windows starting 0…4. [0:00, 5:00) has closed, so it is dropped there (and
    // counted as late); the other four take it.
    readings.pipeInput('s1', 100, at(4, 45));
    // s2 starts reading; 6:20 belongs to the windows starting 2…6.
    readings.pipeInput('s2', 5, at(6, 20));
    assert.deepEqual(readAverages(), []);

    // Stream time 9:00 closes every window ending at or before 8:30: [1:00, 6:00), [2:00, 7:00), [3:00, 8:00),
    // written by window start, then by sensor.
    readings.pipeInput('s1', 0, at(9));
    assert.deepEqual(readAverages(), [
      ['s1', at(1), at(6), (20 + 30 + 40 + 50 + 60 + 100) / 6, at(5, 10)],
      ['s1', at(2), at(7), (30 + 40 + 50 + 60 + 70 + 100) / 6, at(6, 10)],
      ['s2', at(2), at(7), 5, at(6, 20)],
      ['s1', at(3), at(8), (40 + 50 + 60 + 70 + 100) / 5, at(6, 10)],
      ['s2', at(3), at(8), 5, at(6, 20)],
    ]);

    const [metrics] = driver.metrics().values();
    assert.equal(metrics?.droppedRecords.lateRecords, 1);
  });
});
