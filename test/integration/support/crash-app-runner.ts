/**
 * The life of a crash app, the child process the crash tests SIGKILL mid-stream (`crash-app.ts`,
 * `windowed-crash-app.ts`): each app only says which topology it runs; this runs it and speaks the protocol
 * `CrashAppProcess` reads.
 *
 * Usage of an app: `node --import tsx <app>.ts '<its config as JSON>'` with KAFKA_BROKERS set. stdout carries one
 * JSON line per event (`running` with the metrics on every move to RUNNING, `closing` with the metrics before a
 * clean close on SIGTERM, `error`); logs go to stderr (`KSTREAMS_TEST_LOG=info` to see them).
 */
import { pino } from 'pino';
import { KafkaStreams, type ProcessingGuarantee, type StreamsConfig, type StreamsMetrics, type Topology } from '../../../src/index.js';
import { brokers } from './broker.js';
import { testClientKind } from './test-client.js';

export interface CrashAppConfig {
  readonly applicationId: string;
  readonly input: string;
  readonly output: string;
  readonly stateDir: string;
  readonly guarantee: ProcessingGuarantee;
  readonly commitIntervalMs: number;
}

export interface CrashAppEvent {
  readonly event: 'running' | 'closing' | 'error';
  readonly pid: number;
  readonly restoredRecords: number;
  readonly processedRecords: number;
  /** The ids of the tasks the app holds. */
  readonly tasks: readonly string[];
  readonly message?: string;
}

function emit(event: CrashAppEvent['event'], metrics: StreamsMetrics | null, message?: string): void {
  const totals = { restoredRecords: metrics?.totals.restoredRecords ?? 0, processedRecords: metrics?.totals.processedRecords ?? 0 };
  const tasks = [...(metrics?.tasks.keys() ?? [])].sort();
  const line: CrashAppEvent = { event, pid: process.pid, ...totals, tasks, ...(message === undefined ? {} : { message }) };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/**
 * Runs the topology `topologyOf` builds from the app's config (the process's first argument) until SIGTERM, with
 * `overrides` on top of the config's settings; prints an `error` line and exits 1 if the app cannot start or fails.
 */
export function runCrashApp<C extends CrashAppConfig>(topologyOf: (config: C) => Topology, overrides: Partial<StreamsConfig> = {}): void {
  start(topologyOf, overrides).catch((error: unknown) => {
    emit('error', null, String(error));
    process.exit(1);
  });
}

async function start<C extends CrashAppConfig>(topologyOf: (config: C) => Topology, overrides: Partial<StreamsConfig>): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as C;
  const logger = pino({ level: process.env.KSTREAMS_TEST_LOG ?? 'silent' }, pino.destination(2));
  const streams = new KafkaStreams(topologyOf(config), {
    applicationId: config.applicationId,
    bootstrapServers: brokers(),
    stateDir: config.stateDir,
    processingGuarantee: config.guarantee,
    commitIntervalMs: config.commitIntervalMs,
    // The test process's KSTREAMS_CLIENT, which the child inherits.
    client: testClientKind(),
    ...overrides,
    logger,
  });
  streams.setStateListener((next) => {
    if (next === 'RUNNING') emit('running', streams.metrics());
    if (next === 'ERROR') {
      emit('error', streams.metrics(), 'the client moved to ERROR');
      process.exit(1);
    }
  });
  // A test process that dies without killing its children closes the IPC channel: do not outlive it.
  process.once('disconnect', () => process.exit(1));
  process.once('SIGTERM', () => {
    emit('closing', streams.metrics());
    void streams.close().then(() => process.exit(0));
  });
  await streams.start();
}
