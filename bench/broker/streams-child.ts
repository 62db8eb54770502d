/**
 * One measured `KafkaStreams` run, in a process of its own so that its CPU time and peak RSS are its own. The
 * parent sends a `ChildSpec`; a throughput run reports `started`, runs until the parent (which watches the broker)
 * sends `stop`, then reports its figures; a restoration run reports once the client is RUNNING.
 */
import { pino } from 'pino';
import { KafkaStreams } from '../../src/runtime/app/kafka-streams.js';
import type { KafkaClientName, ProcessingGuarantee, StreamsConfig } from '../../src/runtime/app/streams-config.js';
import { COUNT_STORE, countByKeyTopology, topologyOf, type TopologyKind } from './workloads.js';

interface CommonSpec {
  readonly applicationId: string;
  readonly brokers: readonly string[];
  readonly stateDir: string;
  readonly input: string;
  /** The adapter kstreams runs on; the runtime's default (kafkajs) when left out. */
  readonly client?: KafkaClientName;
}

export type ChildSpec =
  | (CommonSpec & { readonly kind: 'throughput'; readonly topology: TopologyKind; readonly output: string; readonly guarantee: ProcessingGuarantee })
  | (CommonSpec & { readonly kind: 'restoration' });

export interface ChildFigures {
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly processedRecords: number;
  readonly restoredRecords: number;
  /** Restoration only: from `start()` until RUNNING. */
  readonly elapsedMs: number;
  /** Restoration only: entries in the restored store. */
  readonly storeEntries: number;
}

export type ChildMessage = { readonly type: 'started'; readonly startedAtMs: number } | { readonly type: 'result'; readonly figures: ChildFigures };

/** Commits every 100 ms under both guarantees, so at-least-once is measured at the same commit rate as exactly-once. */
export const COMMIT_INTERVAL_MS = 100;

function send(message: ChildMessage): void {
  process.send!(message);
}

function configOf(spec: ChildSpec, guarantee: ProcessingGuarantee): StreamsConfig {
  return {
    applicationId: spec.applicationId,
    bootstrapServers: spec.brokers,
    stateDir: spec.stateDir,
    processingGuarantee: guarantee,
    commitIntervalMs: COMMIT_INTERVAL_MS,
    ...(spec.client === undefined ? {} : { client: spec.client }),
    // BENCH_LOG=info shows the runtime's logs while investigating a run.
    logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }, pino.destination(2)),
  };
}

async function runThroughput(spec: Extract<ChildSpec, { kind: 'throughput' }>): Promise<void> {
  const topology = topologyOf(spec.topology, spec.input, spec.output);
  const stop = new Promise<void>((resolve) => process.once('message', () => resolve()));
  const cpuAtStart = process.cpuUsage();
  const startedAtMs = Date.now();
  const streams = new KafkaStreams(topology, configOf(spec, spec.guarantee));
  send({ type: 'started', startedAtMs });
  await streams.start();
  await stop;
  const cpu = process.cpuUsage(cpuAtStart);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const totals = streams.metrics().totals;
  await streams.close();
  streams.cleanUp();
  send({
    type: 'result',
    figures: { cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes, processedRecords: totals.processedRecords, restoredRecords: totals.restoredRecords, elapsedMs: 0, storeEntries: 0 },
  });
}

async function runRestoration(spec: Extract<ChildSpec, { kind: 'restoration' }>): Promise<void> {
  const streams = new KafkaStreams(countByKeyTopology(spec.input), configOf(spec, 'at_least_once'));
  const running = new Promise<void>((resolve) => streams.setStateListener((next) => next === 'RUNNING' && resolve()));
  const cpuAtStart = process.cpuUsage();
  const startedAt = process.hrtime.bigint();
  await streams.start();
  await running;
  const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  const cpu = process.cpuUsage(cpuAtStart);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const totals = streams.metrics().totals;
  const storeEntries = streams.store(COUNT_STORE).approximateNumEntries();
  await streams.close();
  streams.cleanUp();
  send({
    type: 'result',
    figures: { cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes, processedRecords: totals.processedRecords, restoredRecords: totals.restoredRecords, elapsedMs, storeEntries },
  });
}

process.once('message', (spec: ChildSpec) => {
  const run = spec.kind === 'throughput' ? runThroughput(spec) : runRestoration(spec);
  run.then(
    () => process.disconnect(),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
