import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Serdes } from '../../../../src/core/serdes.js';
import type { StreamsError } from '../../../../src/core/errors.js';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import type { StreamsMetadata } from '../../../../src/runtime/app/queries/streams-metadata-state.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { buildWordCountTopology, COUNTS_STORE, INPUT_TOPIC, OUTPUT_TOPIC } from '../../../../examples/word-count.js';
import { until } from '../app/word-count-checks.js';

/**
 * Three instances of word count on the in-memory cluster, each announcing an applicationServer: every instance
 * learns the same host → partitions map from the group, `queryMetadataForKey` names the instance whose local store
 * really holds the word (the repartition sink's murmur2 and ours agree), and the map follows a rebalance.
 */

const PARTITIONS = 6;
const stateDirs: string[] = [];
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett', 'kilo', 'lima'];

function instance(cluster: InMemoryKafkaCluster, name: string): KafkaStreams {
  const stateDir = mkdtempSync(join(tmpdir(), `kstreams-iq-${name}-`));
  stateDirs.push(stateDir);
  const config = { applicationId: 'iq-metadata', stateDir, cacheMaxBytes: 0, commitIntervalMs: 10, logLevel: 'silent', applicationServer: `${name}.local:7070` } as const;
  return new KafkaStreams(buildWordCountTopology(), config, { client: cluster.client({ name }) });
}

const hosts = (all: readonly StreamsMetadata[]): string[] => all.map((m) => `${m.hostInfo.host}:${m.hostInfo.port}`).sort();
const partitionsOf = (all: readonly StreamsMetadata[]): string[] => all.flatMap((m) => m.topicPartitions.map((p) => `${p.topic}-${p.partition}`)).sort();

async function metadataSettled(instances: readonly KafkaStreams[], expectedHosts: number): Promise<void> {
  await until(`metadata of ${expectedHosts} hosts on every instance`, () =>
    instances.every((s) => {
      if (s.state() !== 'RUNNING') return false;
      try {
        return s.metadataForAllStreamsClients().length === expectedHosts;
      } catch {
        return false;
      }
    }),
  );
}

/** The instance whose local counts store holds `word`; the others must not hold it. */
function holderOf(instances: ReadonlyMap<string, KafkaStreams>, word: string): string {
  const holders = [...instances].filter(([, s]) => s.store<string, bigint>(COUNTS_STORE).get(word) !== null).map(([name]) => name);
  assert.equal(holders.length, 1, `exactly one instance holds ${word}: ${holders.join(', ')}`);
  return holders[0]!;
}

test('three instances learn who holds which task, key lookups name the instance holding the key, and the map follows a rebalance', async (t) => {
  t.after(() => stateDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic(INPUT_TOPIC, PARTITIONS);
  cluster.createTopic(OUTPUT_TOPIC, PARTITIONS);
  const instances = new Map(['a', 'b', 'c'].map((name) => [name, instance(cluster, name)] as const));
  const rebalancingErrors: unknown[] = [];
  instances.get('a')!.setStateListener((next) => {
    if (next !== 'REBALANCING') return;
    try {
      instances.get('a')!.queryMetadataForKey(COUNTS_STORE, 'alpha', Serdes.String());
    } catch (error) {
      rebalancingErrors.push(error);
    }
  });
  try {
    for (const streams of instances.values()) await streams.start();
    cluster.produce(INPUT_TOPIC, WORDS.map((word, i) => ({ key: `line-${i}`, value: `${word} ${word}` })));
    await metadataSettled([...instances.values()], 3);
    await until('every word counted', () => cluster.records(OUTPUT_TOPIC).length === WORDS.length * 2);
    await until('every instance running with fresh metadata', () => [...instances.values()].every((s) => s.state() === 'RUNNING'));

    const views = [...instances.values()].map((s) => s.metadataForAllStreamsClients());
    for (const view of views) {
      assert.deepEqual(hosts(view), ['a.local:7070', 'b.local:7070', 'c.local:7070']);
      assert.deepEqual(view, views[0], 'every instance sees the same map');
    }
    const expectedPartitions = [INPUT_TOPIC, 'iq-metadata-counts-store-repartition'].flatMap((topic) => Array.from({ length: PARTITIONS }, (_, p) => `${topic}-${p}`)).sort();
    assert.deepEqual(partitionsOf(views[0]!), expectedPartitions, 'each partition on exactly one host');
    assert.deepEqual(hosts(instances.get('b')!.streamsMetadataForStore(COUNTS_STORE)), ['a.local:7070', 'b.local:7070', 'c.local:7070']);

    for (const word of WORDS) {
      const where = instances.get('c')!.queryMetadataForKey(COUNTS_STORE, word, Serdes.String());
      assert.equal(where.activeHost.host, `${holderOf(instances, word)}.local`, `the host of ${word}`);
      assert.deepEqual(where.standbyHosts, []);
    }

    await instances.get('b')!.close();
    instances.delete('b');
    await metadataSettled([...instances.values()], 2);
    await until('the moved tasks running', () => [...instances.values()].every((s) => s.metrics().tasks.size === PARTITIONS));
    for (const word of WORDS) {
      const where = instances.get('a')!.queryMetadataForKey(COUNTS_STORE, word, Serdes.String());
      assert.equal(where.activeHost.host, `${holderOf(instances, word)}.local`, `the host of ${word} after b left`);
    }
    assert.ok(rebalancingErrors.length >= 2, 'a rebalanced when the others joined and when b left');
    for (const error of rebalancingErrors) assert.equal((error as StreamsError).code, 'STORE_NOT_AVAILABLE');
  } finally {
    for (const streams of instances.values()) await streams.close();
  }
});

test('queryMetadataForKey without an applicationServer, and before start, say what is missing', () => {
  const streams = new KafkaStreams(buildWordCountTopology(), { applicationId: 'iq-none', logLevel: 'silent' }, { client: new InMemoryKafkaCluster().client() });
  assert.throws(() => streams.metadataForAllStreamsClients(), /only while the client runs/);
  assert.throws(() => streams.queryMetadataForKey(COUNTS_STORE, 'x', Serdes.String()), /needs applicationServer/);
});
