import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Topology } from '../../../src/index.js';
import type { RawRecord } from '../../../src/processing/raw-record.js';
import { KafkaStreams } from '../../../src/runtime/app/kafka-streams.js';
import { InMemoryKafkaCluster, ManualClock } from '../../../src/testing/index.js';
import { scheduleInterceptor } from '../../../src/testing/faults/fault-injector.js';
import type { FaultSchedule } from '../../../src/testing/faults/fault-schedule.js';

/** An application and its fixed input, run to completion by `runWorkload`. */
export interface Workload {
  readonly name: string;
  readonly guarantee: 'exactly_once' | 'at_least_once';
  /**
   * Whether the instances' clients have KIP-447 (default: they do): exactly-once then runs one producer per thread,
   * fenced by the group generation; without it, a producer per task, as on kafkajs.
   */
  readonly groupFencedTransactions?: boolean;
  readonly topology: () => Topology;
  readonly topics: readonly { readonly name: string; readonly partitions: number }[];
  readonly outputs: readonly string[];
  /** Writes the whole input before the instances start. */
  produceInput(cluster: InMemoryKafkaCluster): void;
  /** One output record as text, to compare and to show. */
  show(topic: string, record: RawRecord): string;
  /** At-least-once: what `actual` lost of `expected`, as text, or undefined when it lost nothing. */
  lost?(expected: Output, actual: Output): string | undefined;
}

/** Every output topic's records (`show`n), sorted, read read_committed. */
export type Output = ReadonlyMap<string, readonly string[]>;

const INSTANCES = 2;
const SESSION_TIMEOUT_MS = 10_000;
/**
 * Real time a run may take before it counts as stuck (the output never became complete). With KIP-447 an instance
 * replaced on an empty state directory has a new transactional id, so what the dead one left open holds the others
 * back until the coordinator aborts it: 60 s of cluster time, 600 ticks, which take seconds with 16 runs side by side,
 * and over 8 s on a 2-core machine loaded by other work (such runs failed as "missing" output, and passed replayed
 * alone). A complete run ends at once, so only a stuck one waits this long.
 */
const RUN_DEADLINE_MS = 30_000;
/** Cluster time per real millisecond or so: heartbeats every 10 ticks, a transaction times out after 600. */
const TICK_MS = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readOutput(cluster: InMemoryKafkaCluster, workload: Workload): Output {
  return new Map(workload.outputs.map((topic) => [topic, cluster.records(topic, 'read_committed').map((r) => workload.show(topic, r)).sort()]));
}

/** What differs between two outputs, as text (the first few records missing and extra per topic). */
export function difference(expected: Output, actual: Output): string | undefined {
  const lines: string[] = [];
  for (const [topic, want] of expected) {
    const got = [...(actual.get(topic) ?? [])];
    const missing: string[] = [];
    for (const record of want) {
      const at = got.indexOf(record);
      if (at < 0) missing.push(record);
      else got.splice(at, 1);
    }
    if (missing.length > 0) lines.push(`${topic}: missing ${missing.length}: ${missing.slice(0, 5).join(' | ')}`);
    if (got.length > 0) lines.push(`${topic}: extra ${got.length}: ${got.slice(0, 5).join(' | ')}`);
  }
  return lines.length === 0 ? undefined : lines.join('\n');
}

interface Instance {
  readonly streams: KafkaStreams;
  readonly client: string;
  readonly stateDir: string;
}

/**
 * Runs `workload` on two instances over the in-memory cluster under `schedule` (none: the fault-free run) until
 * its output is the expected one or the deadline passes, closes the instances that are alive, and returns the
 * output and how many faults fired. A crashed instance is replaced at once, on a copy of its state directory as it was on disk when it died
 * (the crashed one, hanging in this process, keeps its lock) or on an empty one; the cluster's clock then moves
 * past the session timeout, so the group drops the dead member.
 */
export async function runWorkload(workload: Workload, schedule: FaultSchedule | undefined, expected?: Output): Promise<{ output: Output; faults: number }> {
  const clock = new ManualClock();
  const cluster = new InMemoryKafkaCluster({ clock });
  for (const topic of workload.topics) cluster.createTopic(topic.name, topic.partitions);
  workload.produceInput(cluster);
  const dirs: string[] = [];
  const abandoned: KafkaStreams[] = [];
  let generation = 0;
  let faults = 0;
  // Clock moves and replacements, one at a time, in the order the faults asked for them.
  let recovery = Promise.resolve();
  const after = (step: () => Promise<void>): Promise<void> => (recovery = recovery.then(step, step));

  const start = (slot: number, stateDir = mkdtempSync(join(tmpdir(), `kstreams-faults-${slot}-`))): Instance => {
    dirs.push(stateDir);
    const client = `i${slot}-g${++generation}`;
    const config = {
      applicationId: workload.name,
      processingGuarantee: workload.guarantee,
      stateDir,
      cacheMaxBytes: 0,
      commitIntervalMs: 10,
      outerJoinEmitIntervalMs: 0,
      logLevel: 'silent',
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    } as const;
    const groupFencedTransactions = workload.groupFencedTransactions ?? true;
    return { streams: new KafkaStreams(workload.topology(), config, { client: cluster.client({ name: client, groupFencedTransactions }) }), client, stateDir };
  };
  const instances = Array.from({ length: INSTANCES }, (_, slot) => start(slot));
  const startAll = (list: readonly Instance[]): Promise<unknown> => Promise.all(list.map((i) => i.streams.start()));
  const passSessionTimeout = (): Promise<void> => clock.advance(SESSION_TIMEOUT_MS + 1_000);

  const complete = (): boolean => {
    if (expected === undefined) return false;
    const output = readOutput(cluster, workload);
    return (workload.guarantee === 'exactly_once' ? difference(expected, output) : workload.lost!(expected, output)) === undefined;
  };
  // The cluster's time runs fast (join retries and heartbeats on it), and jumps when a fault needs a session to time out.
  let ticking = true;
  const ticker = (async () => {
    while (ticking) {
      await after(() => clock.advance(TICK_MS));
      await sleep(1);
    }
  })();
  try {
    await startAll(instances);
    if (schedule !== undefined) {
      cluster.faults.add(
        scheduleInterceptor(schedule, {
          slotOf: (client) => {
            const slot = instances.findIndex((i) => i.client === client);
            return slot < 0 ? undefined : slot;
          },
          crash: (slot, keepStateDir) => {
            const dead = instances[slot]!;
            cluster.crash(dead.client);
            abandoned.push(dead.streams);
            let stateDir: string | undefined;
            if (keepStateDir) {
              stateDir = mkdtempSync(join(tmpdir(), `kstreams-faults-${slot}-`));
              cpSync(dead.stateDir, stateDir, { recursive: true, filter: (source) => !source.endsWith('.lock') });
            }
            const replacement = start(slot, stateDir);
            instances[slot] = replacement;
            void after(async () => {
              await replacement.streams.start().catch(() => undefined);
              await passSessionTimeout();
            });
          },
          fired: () => faults++,
          pause: (slot) =>
            after(async () => {
              await passSessionTimeout();
              const paused = instances[slot]!.client;
              const deadline = Date.now() + 500;
              while (cluster.group(workload.name).memberIds().some((m) => m.startsWith(paused)) && Date.now() < deadline) await sleep(2);
            }),
        }),
      );
    }
    if (expected === undefined) await untilQuiet(() => readOutput(cluster, workload));
    else for (const deadline = Date.now() + RUN_DEADLINE_MS; !complete() && Date.now() < deadline; ) await sleep(5);
    await recovery;
    await Promise.all(instances.map((i) => i.streams.close({ timeoutMs: 2_000 })));
    return { output: readOutput(cluster, workload), faults };
  } finally {
    ticking = false;
    await ticker;
    await Promise.all([...abandoned, ...instances.map((i) => i.streams)].map((s) => s.close({ timeoutMs: 0 })));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** The fault-free run has nothing to compare with: it is done once its output stopped changing for a while. */
async function untilQuiet(read: () => Output): Promise<void> {
  let last = '';
  for (let quietSince = Date.now(); Date.now() - quietSince < 300; await sleep(10)) {
    const now = JSON.stringify([...read()]);
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
}
