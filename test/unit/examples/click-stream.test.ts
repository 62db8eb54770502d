import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import {
  CLICKS_PER_USER_STORE,
  CLICKS_PER_USER_TOPIC,
  CLICKS_TOPIC,
  PAGE_STATS_STORE,
  PAGE_STATS_TOPIC,
  REJECTED_TOPIC,
  topology,
  type ClickEvent,
  type PageStats,
} from '../../../examples/click-stream.js';

const browser = 'Mozilla/5.0 (X11; Linux x86_64)';

describe('click-stream example', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(topology);
  });
  afterEach(() => driver.close());

  it('counts human clicks per user and summarises them per page, leaving bots and malformed events out', () => {
    const clicks = driver.createInputTopic(CLICKS_TOPIC, Serdes.String(), Serdes.Json<unknown>());
    clicks.pipeInput('s1', { userId: 'u1', page: '/home', userAgent: browser, durationMs: 1200 }, 1);
    clicks.pipeInput('s2', { userId: 'u2', page: '/home', userAgent: browser, durationMs: 800 }, 2);
    clicks.pipeInput('s3', { userId: 'crawler', page: '/home', userAgent: 'Googlebot/2.1', durationMs: 5 }, 3);
    clicks.pipeInput('s4', { userId: '', page: 'home', userAgent: browser, durationMs: 10 }, 4);
    clicks.pipeInput('s1', { userId: 'u1', page: '/cart', userAgent: browser, durationMs: 3000 }, 5);
    clicks.pipeInput('s5', { userId: 'u1', page: '/home', userAgent: browser, durationMs: 600 }, 6);
    clicks.pipeInput('s6', { userId: 'u2', page: '/cart', userAgent: browser, durationMs: 12.5 }, 7);

    // Every human click updates its user's count and its page's summary once: each input record is processed
    // and committed before the next, and the per-user and per-page repartition topics keep input order.
    const perUser = driver.createOutputTopic(CLICKS_PER_USER_TOPIC, Serdes.String(), Serdes.Long());
    assert.deepEqual(
      perUser.readRecordsToList().map(({ key, value, timestamp }) => [key, value, timestamp]),
      [
        ['u1', 1, 1],
        ['u2', 1, 2],
        ['u1', 2, 5],
        ['u1', 3, 6],
      ],
    );
    const pageStats = driver.createOutputTopic(PAGE_STATS_TOPIC, Serdes.String(), Serdes.Json<PageStats>());
    assert.deepEqual(pageStats.readKeyValuesToList(), [
      { key: '/home', value: { views: 1, totalDurationMs: 1200, averageDurationMs: 1200 } },
      { key: '/home', value: { views: 2, totalDurationMs: 2000, averageDurationMs: 1000 } },
      { key: '/cart', value: { views: 1, totalDurationMs: 3000, averageDurationMs: 3000 } },
      { key: '/home', value: { views: 3, totalDurationMs: 2600, averageDurationMs: 867 } },
    ]);
    // Malformed events (a fractional duration too: Serdes.Long() would refuse it downstream) go to the rejected
    // topic as they came; the bot's click goes nowhere.
    const rejected = driver.createOutputTopic(REJECTED_TOPIC, Serdes.String(), Serdes.Json<ClickEvent>());
    assert.deepEqual(rejected.readKeyValuesToList(), [
      { key: 's4', value: { userId: '', page: 'home', userAgent: browser, durationMs: 10 } },
      { key: 's6', value: { userId: 'u2', page: '/cart', userAgent: browser, durationMs: 12.5 } },
    ]);

    assert.equal(driver.getKeyValueStore<string, number>(CLICKS_PER_USER_STORE)?.get('crawler'), null);
    assert.deepEqual(driver.getKeyValueStore<string, PageStats>(PAGE_STATS_STORE)?.get('/cart'), { views: 1, totalDurationMs: 3000, averageDurationMs: 3000 });
  });

  it('repartitions by user and by page through topics named after the groupings', () => {
    const clicks = driver.createInputTopic(CLICKS_TOPIC, Serdes.String(), Serdes.Json<ClickEvent>());
    clicks.pipeInput('s1', { userId: 'u1', page: '/home', userAgent: browser, durationMs: 1 }, 1);
    const topics = driver.producedTopicNames();
    assert.ok(topics.has('topology-test-driver-clicks-by-user-repartition'));
    assert.ok(topics.has('topology-test-driver-durations-by-page-repartition'));
  });
});
