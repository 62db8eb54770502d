import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Serdes } from '../../../../src/core/serdes.js';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { DEAD_LETTER_HEADERS } from '../../../../src/runtime/tasks/dead-letter.js';
import { StreamsBuilder } from '../../../../src/topology/dsl/streams-builder.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { until } from './word-count-checks.js';

/**
 * The README's bad-input table, for input that never becomes a record: JSON that does not parse and bytes the value
 * serde refuses. With a dead-letter topic each lands there with its coordinates, is counted, and the records around
 * it flow on; the committed offset moves past it, so a restart does not read it again (no loop).
 */
interface Order {
  readonly id: string;
  readonly amount: number;
}

test('malformed JSON and bytes a serde refuses go to the dead-letter topic with their coordinates, counted; the rest flows on and the offset moves past them', async () => {
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic('orders', 1);
  cluster.createTopic('amounts', 1);
  cluster.createTopic('counts', 1);
  const builder = new StreamsBuilder();
  builder
    .stream('orders', { keySerde: Serdes.String(), valueSerde: Serdes.Json<Order>() })
    .mapValues((order) => order.amount)
    .to('amounts', { keySerde: Serdes.String(), valueSerde: Serdes.Integer() });
  builder.stream('counts', { keySerde: Serdes.String(), valueSerde: Serdes.Integer() }).foreach(() => undefined);
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-bad-input-'));
  const streams = new KafkaStreams(builder.build(), { applicationId: 'bad-input', stateDir, deadLetterTopic: 'orders-dlt', commitIntervalMs: 50, logLevel: 'silent' }, { client: cluster.client() });
  try {
    cluster.produce('orders', [
      { key: 'a', value: JSON.stringify({ id: 'a', amount: 5 }) },
      { key: 'broken', value: '{"id": "broken", "amount": ' },
      { key: 'b', value: JSON.stringify({ id: 'b', amount: 7 }) },
    ]);
    cluster.produce('counts', [{ key: 'short', value: Buffer.from([1, 2]) }]);
    await streams.start();
    await until('both good orders written and both bad records dead-lettered', () => cluster.records('amounts').length === 2 && cluster.records('orders-dlt').length === 2);

    assert.deepEqual(cluster.records('amounts').map((r) => r.key?.toString()), ['a', 'b']);
    const dead = cluster.records('orders-dlt');
    const header = (index: number, name: string) => dead[index]!.headers.lastHeader(name)?.value?.toString();
    const byKey = new Map(dead.map((record, index) => [record.key?.toString(), index]));
    const broken = byKey.get('broken')!;
    assert.equal(dead[broken]!.value?.toString(), '{"id": "broken", "amount": ', 'the input bytes as consumed');
    assert.equal(header(broken, DEAD_LETTER_HEADERS.topic), 'orders');
    assert.equal(header(broken, DEAD_LETTER_HEADERS.partition), '0');
    assert.equal(header(broken, DEAD_LETTER_HEADERS.offset), '1');
    assert.equal(header(broken, DEAD_LETTER_HEADERS.exception), 'SerdeError');
    const short = byKey.get('short')!;
    assert.equal(header(short, DEAD_LETTER_HEADERS.topic), 'counts');
    assert.equal(header(short, DEAD_LETTER_HEADERS.offset), '0');
    assert.equal(header(short, DEAD_LETTER_HEADERS.exception), 'SerdeError');
    assert.equal(streams.metrics().totals.droppedRecords, 2);
    assert.equal(streams.state(), 'RUNNING');

    await until('input offsets committed past the bad records', () => streams.metrics().totals.processedRecords >= 2 && committedOffset(cluster, 'orders') === 3);
    assert.equal(await streams.close(), true);
    assert.equal(committedOffset(cluster, 'orders'), 3);
    assert.equal(committedOffset(cluster, 'counts'), 1);
  } finally {
    await streams.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

function committedOffset(cluster: InMemoryKafkaCluster, topic: string): number | undefined {
  return cluster.group('bad-input').committedOffset({ topic, partition: 0 })?.offset;
}
