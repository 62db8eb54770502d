import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Serdes, StreamsBuilder, StreamsError, TimeWindows, type Topology } from '../../../../src/index.js';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { until } from '../app/word-count-checks.js';

/** `streams.query(sql)` over a key-value store, a window store and a table of JSON values, on the in-memory cluster. */

const MINUTE_MS = 60_000;

interface Profile {
  readonly name: string;
  readonly age: number;
  readonly tags: readonly string[];
}

function sqlTopology(): Topology {
  const builder = new StreamsBuilder();
  const clicks = builder.stream('sql-clicks', { keySerde: Serdes.String(), valueSerde: Serdes.String() }).groupByKey();
  clicks.count({ storeName: 'clicks-total', caching: false });
  clicks.windowedBy(TimeWindows.ofSizeWithNoGrace(MINUTE_MS)).count({ storeName: 'clicks-per-minute', caching: false, retentionMs: 24 * 3_600_000 });
  builder.table('sql-profiles', { keySerde: Serdes.String(), valueSerde: Serdes.Json<Profile>(), storeName: 'profiles', caching: false });
  return builder.build();
}

const refusedAsMisuse = (error: unknown): boolean => error instanceof StreamsError && error.code === 'STATE_MISUSE';

test('SQL over the local stores: key-value and window stores, JSON fields as columns, and no writes', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-sql-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic('sql-clicks', 3);
  cluster.createTopic('sql-profiles', 3);
  const streams = new KafkaStreams(sqlTopology(), { applicationId: 'iq-sql', stateDir, commitIntervalMs: 10, logLevel: 'silent' }, { client: cluster.client() });
  assert.throws(() => streams.query('SELECT 1'), /needs a started client|cannot be queried/);
  try {
    await streams.start();
    const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    // ann clicks 3 times in one minute and once in the next, bob twice, cy once.
    const clicks = [['ann', 0], ['ann', 1], ['bob', 2], ['ann', 3], ['cy', 4], ['bob', 5], ['ann', MINUTE_MS + 1]] as const;
    cluster.produce('sql-clicks', clicks.map(([key, offset]) => ({ key, value: 'click', timestamp: minute + offset })));
    const profiles: Array<[string, Profile]> = [['ann', { name: 'Ann', age: 41, tags: ['a'] }], ['bob', { name: 'Bob', age: 29, tags: [] }], ['cy', { name: 'Cy', age: 35, tags: ['c', 'd'] }]];
    cluster.produce('sql-profiles', profiles.map(([key, profile]) => ({ key, value: JSON.stringify(profile) })));
    await until('every click and profile in the stores', () => {
      if (streams.state() !== 'RUNNING') return false;
      const [row] = streams.query('SELECT sum(value) AS clicks, (SELECT count(*) FROM profiles) AS people FROM "clicks-total"');
      return row!.clicks === clicks.length && row!.people === profiles.length;
    });

    assert.deepEqual(streams.query('SELECT key, value FROM "clicks-total" ORDER BY value DESC, key'), [{ key: 'ann', value: 4 }, { key: 'bob', value: 2 }, { key: 'cy', value: 1 }]);
    assert.deepEqual(
      streams.query('SELECT window_start - ? AS since, window_end - window_start AS size, value FROM "clicks-per-minute" WHERE key = \'ann\' ORDER BY window_start'.replace('?', String(minute))),
      [{ since: 0, size: MINUTE_MS, value: 3 }, { since: MINUTE_MS, size: MINUTE_MS, value: 1 }],
    );
    assert.deepEqual(streams.query('SELECT key, name, json_array_length(tags) AS tags FROM profiles WHERE age > 30 ORDER BY age'), [{ key: 'cy', name: 'Cy', tags: 2 }, { key: 'ann', name: 'Ann', tags: 1 }]);
    assert.deepEqual(
      streams.query('SELECT p.name, c.value AS clicks FROM profiles p JOIN "clicks-total" c ON c.key = p.key ORDER BY clicks DESC LIMIT 1'),
      [{ name: 'Ann', clicks: 4 }],
    );

    for (const write of ['DELETE FROM "clicks-total"', 'UPDATE profiles SET value = 1', "ATTACH 'elsewhere.db' AS other", 'PRAGMA writable_schema = 1', 'WITH x AS (SELECT 1) DELETE FROM "clicks-total$rows"', 'SELECT 1; DELETE FROM profiles']) {
      assert.throws(() => streams.query(write), refusedAsMisuse, write);
    }
    assert.throws(() => streams.query('SELECT nope FROM "clicks-total"'), /does not compile/);
    assert.equal(streams.query('SELECT count(*) AS n FROM "clicks-total"')[0]!.n, 3, 'the refused statements changed nothing');
  } finally {
    await streams.close();
  }
});
