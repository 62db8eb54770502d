import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inferInternalTopics } from '../../../../src/runtime/reset/inferred-internal-topics.js';
import { parseIsoDatetime, parseIsoDuration } from '../../../../src/runtime/reset/iso-time.js';

test('ISO-8601 durations as Java’s Duration.parse reads them', () => {
  assert.equal(parseIsoDuration('d', 'PT1H'), 3_600_000);
  assert.equal(parseIsoDuration('d', 'P1DT12H'), 129_600_000);
  assert.equal(parseIsoDuration('d', 'PT15M30.5S'), 930_500);
  assert.equal(parseIsoDuration('d', 'pt2m'), 120_000);
  assert.equal(parseIsoDuration('d', '-PT1S'), -1_000);
  for (const bad of ['P', 'PT', '1H', 'PT1Y', 'P1M', 'PT1H2', '']) assert.throws(() => parseIsoDuration('--by-duration', bad), /config "--by-duration": must be an ISO-8601 duration/, bad);
});

test('ISO-8601 date-times with a zone, or in local time without one', () => {
  assert.equal(parseIsoDatetime('t', '2026-01-31T12:00:00.000Z'), Date.UTC(2026, 0, 31, 12));
  assert.equal(parseIsoDatetime('t', '2026-01-31T12:00:00+0100'), Date.UTC(2026, 0, 31, 11));
  assert.equal(parseIsoDatetime('t', '2026-01-31T12:00+01:00'), Date.UTC(2026, 0, 31, 11));
  assert.equal(parseIsoDatetime('t', '2026-01-31T12:00:00'), new Date(2026, 0, 31, 12).getTime());
  for (const bad of ['2026-01-31', 'yesterday', '2026-13-40T00:00:00Z']) assert.throws(() => parseIsoDatetime('--to-datetime', bad), /ISO-8601 date-time/, bad);
});

test('internal topics of an application: its changelogs, repartition and foreign-key join topics, never an input topic', () => {
  const topics = [
    'app-counts-changelog',
    'app-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition',
    'app-fk-subscription-registration-topic',
    'app-fk-subscription-response-topic',
    'app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000005-topic',
    'app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000012-topic',
    'app-input-changelog',
    'app-output',
    'other-counts-changelog',
    'apps-counts-changelog',
  ];
  assert.deepEqual(inferInternalTopics('app', topics, ['app-input-changelog']), topics.slice(0, 6).sort());
});
