/** How the parent tells that a run is done (the output reflects every input) and that its output is complete. */
import type { Kafka } from 'kafkajs';
import { readInt64BE } from '../../src/core/int64.js';
import type { ProcessingGuarantee } from '../../src/runtime/app/streams-config.js';
import { committedUpTo, readUntil, recordsInTopic, withAdmin } from './broker-ops.js';

/** How often the parent asks the broker whether a run is done; the timing resolution of a run. */
const POLL_MS = 100;
/** A run fails when its output shows no progress for this long. */
const IDLE_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the time at which the group had committed every input partition to its end. */
export async function committedToEnd(kafka: Kafka, groupId: string, topic: string, ends: ReadonlyMap<number, number>): Promise<number> {
  return withAdmin(kafka, async (admin) => {
    while (!(await committedUpTo(admin, groupId, topic, ends))) await sleep(POLL_MS);
    return Date.now();
  });
}

/** Resolves with the time at which the latest counts on `topic` first added up to `target`. */
export async function countsReach(kafka: Kafka, topic: string, target: number): Promise<number> {
  const latest = new Map<string, number>();
  let sum = 0;
  let reachedAtMs = 0;
  const reading = readUntil(
    kafka,
    topic,
    (messages) => {
      for (const { key, value } of messages) {
        const page = key!.toString('latin1');
        const count = readInt64BE(value!);
        sum += count - (latest.get(page) ?? 0);
        latest.set(page, count);
      }
      if (sum >= target && reachedAtMs === 0) reachedAtMs = Date.now();
    },
    () => reachedAtMs !== 0,
    IDLE_TIMEOUT_MS,
  );
  await reading.catch((error: unknown) => Promise.reject(new Error(`${error instanceof Error ? error.message : String(error)}; the latest counts add up to ${sum}, expected ${target}`)));
  return sum === target ? reachedAtMs : Promise.reject(new Error(`counts on ${topic} add up to ${sum}, expected ${target}`));
}

/** Output records of a filter+map run: offsets under at-least-once, a read_committed count under exactly-once. */
export async function filterMapOutput(kafka: Kafka, topic: string, guarantee: ProcessingGuarantee, expected: number): Promise<number> {
  if (guarantee === 'at_least_once') return recordsInTopic(kafka, topic);
  let count = 0;
  await readUntil(kafka, topic, (messages) => void (count += messages.length), () => count >= expected, 15_000).catch(() => undefined);
  return count;
}
