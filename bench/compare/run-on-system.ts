/** One workload on one system: launch its process, time it against the broker, check its output, clean up. */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { KafkaClientName, ProcessingGuarantee } from '../../src/runtime/app/streams-config.js';
import { changelogTopicName } from '../../src/state/changelog.js';
import type { Broker } from '../broker/bench-broker.js';
import { createTopics, deleteGroup, deleteTopics, endOffsets, processCpuSeconds, withAdmin } from '../broker/broker-ops.js';
import { ChildRun } from '../broker/child-run.js';
import { committedToEnd, countsReach, filterMapOutput } from '../broker/completion.js';
import type { InputTopic } from '../broker/standard-input.js';
import { COMMIT_INTERVAL_MS } from '../broker/streams-child.js';
import { COUNT_STORE, filterMapOutputCount, WINDOW_GRACE_MS, WINDOW_SIZE_MS, type TopologyKind } from '../broker/workloads.js';
import { formatCount } from '../support/report-table.js';
import { PARTITIONS } from './compare-inputs.js';
import type { CompareWorkload } from './compare-workloads.js';
import { KafkaStreamsRun } from './kafka-streams-run.js';
import type { MeasuredRun, RunFigures } from './measured-run.js';

/** Longer than Kafka Streams' default session timeout (45 s). */
const GROUP_EMPTY_TIMEOUT_MS = 90_000;

export type System = 'kstreams' | 'Kafka Streams';

export interface RunContext {
  readonly kafka: Kafka;
  readonly broker: Broker;
  /** The adapter kstreams runs on (Kafka Streams always runs on its own Java client). */
  readonly client: KafkaClientName;
  readonly records: number;
  readonly runId: string;
}

/** One system's figures for one workload (or one phase of the restoration). */
export interface Measurement {
  readonly system: System;
  readonly phase: string;
  readonly records: number;
  readonly elapsedMs: number;
  readonly figures: RunFigures;
  readonly brokerCpuSeconds: number | undefined;
  readonly load: number;
  /** `undefined` when everything was processed; otherwise what is missing. */
  readonly mismatch: string | undefined;
  readonly check: string;
}

interface Launch {
  readonly mode: 'throughput' | 'restoration';
  readonly topology: TopologyKind;
  readonly applicationId: string;
  readonly guarantee: ProcessingGuarantee;
  readonly input: string;
  readonly output: string;
  /** Restoration only: changelog partitions that hold records (Kafka Streams waits for each to be restored). */
  readonly restorePartitions: number;
}

function launch(ctx: RunContext, system: System, stateDir: string, spec: Launch): MeasuredRun {
  const common = { applicationId: spec.applicationId, brokers: ctx.broker.brokers, stateDir, input: spec.input };
  if (system === 'kstreams') {
    return spec.mode === 'throughput'
      ? new ChildRun({ ...common, client: ctx.client, kind: 'throughput', topology: spec.topology, guarantee: spec.guarantee, output: spec.output })
      : new ChildRun({ ...common, client: ctx.client, kind: 'restoration' });
  }
  return new KafkaStreamsRun({
    ...common,
    brokers: ctx.broker.brokers.join(','),
    mode: spec.mode,
    topology: spec.topology,
    guarantee: spec.guarantee,
    output: spec.output,
    commitIntervalMs: COMMIT_INTERVAL_MS,
    store: COUNT_STORE,
    windowSizeMs: WINDOW_SIZE_MS,
    graceMs: WINDOW_GRACE_MS,
    restorePartitions: spec.restorePartitions,
  });
}

const brokerCpuSince = (ctx: RunContext, before: number | undefined): number | undefined => {
  const after = processCpuSeconds(ctx.broker.pid);
  return before === undefined || after === undefined ? undefined : after - before;
};

const shortName = (system: System) => (system === 'kstreams' ? 'ks' : 'java');

/** A run of a throughput workload, timed from the process's `started` until the broker shows every input processed. */
async function measureThroughput(ctx: RunContext, system: System, workload: CompareWorkload, input: InputTopic, applicationId: string): Promise<Measurement> {
  const output = `${applicationId}-output`;
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-bench-compare-'));
  let run: MeasuredRun | undefined;
  let failed = true;
  try {
    if (workload.topology !== 'count by key') await createTopics(ctx.kafka, [{ name: output, partitions: PARTITIONS }]);
    const counted = workload.topology === 'groupBy+count' || workload.topology === 'windowed count';
    const countsDone = counted ? countsReach(ctx.kafka, output, ctx.records) : undefined;
    countsDone?.catch(() => undefined);
    run = launch(ctx, system, stateDir, { mode: 'throughput', topology: workload.topology, applicationId, guarantee: workload.guarantee, input: input.name, output, restorePartitions: 0 });
    const startedAtMs = await run.started;
    const brokerCpuBefore = processCpuSeconds(ctx.broker.pid);
    const doneAtMs = await run.whileAlive(countsDone ?? committedToEnd(ctx.kafka, applicationId, input.name, input.ends));
    const brokerCpuSeconds = brokerCpuSince(ctx, brokerCpuBefore);
    const load = loadavg()[0]!;
    run.stop();
    const figures = await run.figures;
    await run.end(false);
    const { check, mismatch } = await outputCheck(ctx, workload, applicationId, output);
    failed = false;
    return { system, phase: 'processing', records: ctx.records, elapsedMs: doneAtMs - startedAtMs, figures, brokerCpuSeconds, load, check, mismatch };
  } finally {
    await run?.end(failed);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function outputCheck(ctx: RunContext, workload: CompareWorkload, applicationId: string, output: string): Promise<{ check: string; mismatch: string | undefined }> {
  switch (workload.topology) {
    case 'filter+map': {
      const expected = filterMapOutputCount(ctx.records);
      const actual = await filterMapOutput(ctx.kafka, output, workload.guarantee, expected);
      return { check: `${formatCount(actual)} out`, mismatch: actual === expected ? undefined : `expected ${formatCount(expected)} out` };
    }
    case 'groupBy+count':
    case 'windowed count':
      // countsReach rejects unless the latest counts add up to exactly the input.
      return { check: `counts sum to ${formatCount(ctx.records)}`, mismatch: undefined };
    case 'count by key': {
      const changelog = [...(await endOffsets(ctx.kafka, changelogTopicName(applicationId, COUNT_STORE))).values()].reduce((a, b) => a + b, 0);
      return { check: `changelog of ${formatCount(changelog)}`, mismatch: changelog === ctx.records ? undefined : `expected ${formatCount(ctx.records)} changelog records` };
    }
  }
}

/** Resolves once `groupId` has no member left. */
async function groupEmpty(kafka: Kafka, groupId: string): Promise<void> {
  const deadline = Date.now() + GROUP_EMPTY_TIMEOUT_MS;
  await withAdmin(kafka, async (admin) => {
    while ((await admin.describeGroups([groupId])).groups.some((group) => group.members.length > 0)) {
      if (Date.now() > deadline) throw new Error(`group ${groupId} still has members after ${GROUP_EMPTY_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
}

/** Counts the distinct keys (a throughput run), then restores their changelog into a fresh instance. */
async function measureRestoration(ctx: RunContext, system: System, workload: CompareWorkload, input: InputTopic, applicationId: string): Promise<Measurement[]> {
  const counting = await measureThroughput(ctx, system, workload, input, applicationId);
  const changelogEnds = await endOffsets(ctx.kafka, changelogTopicName(applicationId, COUNT_STORE));
  const restorePartitions = [...changelogEnds.values()].filter((end) => end > 0).length;
  // Kafka Streams does not leave its group on close (a dynamic member stays until its session times out, 45 s);
  // the restoring instance would wait for that in its first rebalance, which is not restoration.
  await groupEmpty(ctx.kafka, applicationId);
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-bench-compare-'));
  let run: MeasuredRun | undefined;
  let failed = true;
  try {
    const brokerCpuBefore = processCpuSeconds(ctx.broker.pid);
    run = launch(ctx, system, stateDir, { mode: 'restoration', topology: 'count by key', applicationId, guarantee: 'at_least_once', input: input.name, output: '', restorePartitions });
    const figures = await run.figures;
    const brokerCpuSeconds = brokerCpuSince(ctx, brokerCpuBefore);
    const load = loadavg()[0]!;
    await run.end(false);
    failed = false;
    const complete = figures.restoredRecords === ctx.records && figures.storeEntries === ctx.records;
    return [
      { ...counting, phase: 'counting' },
      {
        system,
        phase: 'restoring',
        records: figures.restoredRecords,
        elapsedMs: figures.elapsedMs,
        figures,
        brokerCpuSeconds,
        load,
        check: `${formatCount(figures.restoredRecords)} restored, ${formatCount(figures.storeEntries)} keys`,
        mismatch: complete ? undefined : `expected ${formatCount(ctx.records)} restored and as many keys`,
      },
    ];
  } finally {
    await run?.end(failed);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Runs `workload` on `system` under a fresh application id, then deletes its topics and group. */
export async function runOnSystem(ctx: RunContext, system: System, workload: CompareWorkload, input: InputTopic): Promise<Measurement[]> {
  const applicationId = `cmp-${workload.topology.replace(/[^a-z]+/gi, '-')}-${workload.guarantee === 'exactly_once' ? 'eos' : 'alos'}-${input.valueBytes}b-${shortName(system)}-${ctx.runId}`;
  try {
    return workload.restoration
      ? await measureRestoration(ctx, system, workload, input, applicationId)
      : [await measureThroughput(ctx, system, workload, input, applicationId)];
  } finally {
    await deleteTopics(ctx.kafka, [applicationId]);
    await deleteGroup(ctx.kafka, applicationId);
  }
}
