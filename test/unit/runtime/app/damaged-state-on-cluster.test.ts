import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { buildWordCountTopology, INPUT_TOPIC, OUTPUT_TOPIC } from '../../../../examples/word-count.js';
import { assertNoDuplicates, awaitCounts, lines, running, until } from './word-count-checks.js';

/**
 * A state directory damaged while the instance was down: one task's file overwritten with garbage, another task's
 * file replaced by a copy of a third task's. On restart each damaged file is found at open, deleted, logged and
 * counted, and its task restored from the changelog: the counts go on exactly, with no crash and no wrong state.
 */
test('damaged task files are deleted at open and their tasks restored from the changelog; counts stay exact', async () => {
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic(INPUT_TOPIC, 4);
  cluster.createTopic(OUTPUT_TOPIC, 2);
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-damaged-'));
  const config = { applicationId: 'word-count', processingGuarantee: 'exactly_once', stateDir, cacheMaxBytes: 0, logLevel: 'silent', commitIntervalMs: 20 } as const;
  const written: string[] = [];
  const write = (round: number): void => {
    const batch = lines(round);
    written.push(...batch);
    cluster.produce(INPUT_TOPIC, batch.map((value, i) => ({ key: `line-${round}-${i}`, value })));
  };
  let streams = new KafkaStreams(buildWordCountTopology(), config, { client: cluster.client({ name: 'first' }) });
  try {
    await streams.start();
    write(1);
    await awaitCounts('round 1 counted', cluster, written);
    assert.equal(await streams.close(), true);

    const appDir = join(stateDir, 'word-count');
    const stateful = readdirSync(appDir).filter((task) => task.startsWith('1_') && existsSync(join(appDir, task, 'task.sqlite'))).sort();
    assert.ok(stateful.length >= 3, `count tasks with state: ${stateful.join(', ')}`);
    const file = (task: string, suffix = '') => join(appDir, task, `task.sqlite${suffix}`);
    const [garbled, replaced, source] = stateful as [string, string, string];
    for (const suffix of ['-wal', '-shm']) rmSync(file(garbled, suffix), { force: true });
    writeFileSync(file(garbled), Buffer.alloc(16_384, 0x42));
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(file(replaced, suffix), { force: true });
      if (existsSync(file(source, suffix))) copyFileSync(file(source, suffix), file(replaced, suffix));
    }

    streams = new KafkaStreams(buildWordCountTopology(), config, { client: cluster.client({ name: 'second' }) });
    await streams.start();
    await until('running again', () => running(streams));
    write(2);
    await awaitCounts('round 2 counted on top of restored state', cluster, written);
    assertNoDuplicates(cluster);
    const tasks = streams.metrics().tasks;
    assert.equal(tasks.get(garbled)!.damagedStateDeletions, 1);
    assert.equal(tasks.get(replaced)!.damagedStateDeletions, 1);
    assert.equal(tasks.get(source)!.damagedStateDeletions, 0);
    assert.ok(tasks.get(garbled)!.restoredRecords > 0, 'restored from the changelog');
  } finally {
    await streams.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
