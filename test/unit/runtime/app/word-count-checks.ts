import assert from 'node:assert/strict';
import { Serdes } from '../../../../src/core/serdes.js';
import type { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import type { StreamsState } from '../../../../src/runtime/app/streams-state.js';
import type { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { OUTPUT_TOPIC } from '../../../../examples/word-count.js';

/** Word count on the in-memory cluster, checked: with caching off the committed counts of each word are 1, 2, …, n. */

export async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const running = (...all: KafkaStreams[]): boolean => all.every((s) => s.state() === ('RUNNING' satisfies StreamsState));
export const taskCount = (streams: KafkaStreams): number => streams.metrics().tasks.size;

/** Every committed count of each word, in the order written (a word always lands in one output partition). */
export function committedCounts(cluster: InMemoryKafkaCluster): Map<string, number[]> {
  const counts = new Map<string, number[]>();
  for (const r of cluster.records(OUTPUT_TOPIC)) {
    const word = r.key!.toString();
    counts.set(word, [...(counts.get(word) ?? []), Serdes.Long().deserialize(OUTPUT_TOPIC, r.value, r.headers)!]);
  }
  return counts;
}

function expectedCounts(lines: readonly string[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const word of lines.flatMap((line) => line.toLowerCase().split(/\W+/).filter((w) => w.length > 0))) expected.set(word, (expected.get(word) ?? 0) + 1);
  return expected;
}

const latestCounts = (cluster: InMemoryKafkaCluster): Map<string, number> => new Map([...committedCounts(cluster)].map(([word, counts]) => [word, counts.at(-1)!]));

/** Waits until the latest committed count of every word is the expected one; shows the difference if it never is. */
export async function awaitCounts(what: string, cluster: InMemoryKafkaCluster, lines: readonly string[]): Promise<void> {
  const expected = expectedCounts(lines);
  const same = (): boolean => {
    const latest = latestCounts(cluster);
    return latest.size === expected.size && [...expected].every(([word, n]) => latest.get(word) === n);
  };
  await until(what, same).catch(() => assert.deepEqual(latestCounts(cluster), expected, what));
}

export function lines(round: number): string[] {
  return Array.from({ length: 40 }, (_, i) => `round${round} the quick brown fox ${i % 7} jumps over the lazy dog ${i % 5}`);
}

/** No count committed twice, none skipped: each word's committed counts are exactly 1, 2, …, n. */
export function assertNoDuplicates(cluster: InMemoryKafkaCluster): void {
  for (const [word, counts] of committedCounts(cluster)) assert.deepEqual(counts, Array.from({ length: counts.length }, (_, i) => i + 1), `the counts of ${word}`);
}
