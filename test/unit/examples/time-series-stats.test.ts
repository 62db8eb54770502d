import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import {
  addMeasurement,
  MEASUREMENTS_TOPIC,
  STATS_TOPIC,
  topology,
  type Measurement,
  type RunningStats,
  type WindowStats,
} from '../../../examples/time-series-stats.js';

const seconds = (count: number): number => count * 1_000;
/** The Kafka timestamp of every input record: far from the event times, to show it is not the one used. */
const ARRIVAL_TIME = seconds(3_600);
const BILLION = 1_000_000_000;

describe('time-series-stats example', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(topology);
  });
  afterEach(() => driver.close());

  it('writes count, sum, min, max, mean and population standard deviation once per series and closed minute', () => {
    const measurements = driver.createInputTopic(MEASUREMENTS_TOPIC, Serdes.String(), Serdes.Json<Measurement>());
    const output = driver.createOutputTopic(STATS_TOPIC, Serdes.String(), Serdes.Json<WindowStats>());
    const measure = (series: string, second: number, value: number) =>
      measurements.pipeInput(series, { timestamp: seconds(second), value }, ARRIVAL_TIME);
    const readStats = () => output.readRecordsToList().map(({ key, value, timestamp }) => [key, value, timestamp]);

    // Minute 0 of cpu: 2, 4, 4, 4, 5, 5, 7, 9 — mean 5, squared deviations summing to 32.
    [2, 4, 4, 4, 5, 5, 7, 9].forEach((value, index) => measure('cpu', index + 1, value));
    // Minute 1 of cpu: values near 10⁹ that differ by a few units (mean 10⁹ + 10, squared deviations 36 + 9 + 9 + 36).
    [4, 7, 13, 16].forEach((offset, index) => measure('cpu', 61 + index, BILLION + offset));
    // A measurement without a numeric value is left out rather than turning the window's statistics into NaN.
    driver.createInputTopic(MEASUREMENTS_TOPIC, Serdes.String(), Serdes.Json<unknown>()).pipeInput('cpu', { timestamp: seconds(30), value: 'n/a' }, ARRIVAL_TIME);
    // Out of order, within the 10 s grace (stream time 64 s < 60 s + 10 s): counted in minute 0. At the mean, it
    // adds nothing to the squared deviations: 32 over 9 values now.
    measure('cpu', 55, 5);
    assert.deepEqual(readStats(), [], 'no window has closed yet');

    // Stream time 70 s closes minute 0. The record carries the window's latest event time, 55 s.
    measure('mem', 70, 1);
    assert.deepEqual(readStats(), [
      ['cpu', { windowStart: 0, windowEnd: seconds(60), count: 9, sum: 45, min: 2, max: 9, mean: 5, stddev: Math.sqrt(32 / 9) }, seconds(55)],
    ]);

    // Minute 0 has closed: this one is dropped, and counted as late.
    measure('cpu', 59, 100);
    // Stream time 130 s closes minute 1, for both series, in key order. Welford's update keeps the variance of the
    // large values exact (90 / 4), where Σx²/n − mean² gives −128 in doubles.
    measure('cpu', 130, 0);
    assert.deepEqual(readStats(), [
      [
        'cpu',
        {
          windowStart: seconds(60),
          windowEnd: seconds(120),
          count: 4,
          sum: 4 * BILLION + 40,
          min: BILLION + 4,
          max: BILLION + 16,
          mean: BILLION + 10,
          stddev: Math.sqrt(90 / 4),
        },
        seconds(64),
      ],
      ['mem', { windowStart: seconds(60), windowEnd: seconds(120), count: 1, sum: 1, min: 1, max: 1, mean: 1, stddev: 0 }, seconds(70)],
    ]);
    const [metrics] = driver.metrics().values();
    assert.equal(metrics?.droppedRecords.lateRecords, 1);
  });

  it('accumulates with Welford’s update, exact where the sum of squares cancels', () => {
    const empty: RunningStats = { count: 0, sum: 0, min: 0, max: 0, mean: 0, m2: 0 };
    const values = [4, 7, 13, 16].map((offset) => 1e12 + offset);
    const stats = values.reduce(addMeasurement, empty);
    assert.deepEqual(stats, { count: 4, sum: 4e12 + 40, min: 1e12 + 4, max: 1e12 + 16, mean: 1e12 + 10, m2: 90 });
    const sumOfSquares = values.reduce((sum, value) => sum + value * value, 0);
    assert.notEqual(sumOfSquares / 4 - (stats.sum / 4) ** 2, 90 / 4, 'the textbook formula loses the variance entirely');
  });
});
