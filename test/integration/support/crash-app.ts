/**
 * A per-key counter run as a child process by the crash tests, so that they can SIGKILL a real process mid-stream.
 *
 * Usage: `node --import tsx test/integration/support/crash-app.ts '<CrashAppConfig as JSON>'` with KAFKA_BROKERS set.
 * It counts the records of each key and emits every updated count as `{ count, seq }`, where `seq` is the value of
 * the input record that produced it: the test can then tell which input each emitted count stands for.
 *
 * stdout carries one JSON line per event (`running` with the metrics on every move to RUNNING, `closing` with the
 * metrics before a clean close on SIGTERM, `error`); logs go to stderr (`KSTREAMS_TEST_LOG=info` to see them).
 */
import { pino } from 'pino';
import { KafkaStreams, Serdes, StreamsBuilder, type ProcessingGuarantee, type StreamsMetrics } from '../../../src/index.js';
import { brokers } from './broker.js';

export interface CrashAppConfig {
  readonly applicationId: string;
  readonly input: string;
  readonly output: string;
  readonly stateDir: string;
  readonly guarantee: ProcessingGuarantee;
  readonly commitIntervalMs: number;
}

/** What the counter stores and emits per key: how many records it counted, and the value of the last one. */
export interface CountUpdate {
  readonly count: number;
  readonly seq: number;
}

export interface CrashAppEvent {
  readonly event: 'running' | 'closing' | 'error';
  readonly pid: number;
  readonly restoredRecords: number;
  readonly processedRecords: number;
  readonly message?: string;
}

function emit(event: CrashAppEvent['event'], metrics: StreamsMetrics, message?: string): void {
  const line: CrashAppEvent = { event, pid: process.pid, ...metrics.totals, ...(message === undefined ? {} : { message }) };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as CrashAppConfig;
  const builder = new StreamsBuilder();
  builder
    .stream(config.input, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
    .groupByKey()
    .aggregate<CountUpdate>(() => ({ count: 0, seq: -1 }), (_key, seq, total) => ({ count: total.count + 1, seq }), {
      storeName: 'counts',
      valueSerde: Serdes.Json<CountUpdate>(),
      caching: false,
    })
    .toStream()
    .to(config.output, { keySerde: Serdes.String(), valueSerde: Serdes.Json<CountUpdate>() });

  const logger = pino({ level: process.env.KSTREAMS_TEST_LOG ?? 'silent' }, pino.destination(2));
  const streams = new KafkaStreams(builder.build(), {
    applicationId: config.applicationId,
    bootstrapServers: brokers(),
    stateDir: config.stateDir,
    processingGuarantee: config.guarantee,
    commitIntervalMs: config.commitIntervalMs,
    cacheMaxBytes: 0,
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

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ event: 'error', pid: process.pid, restoredRecords: 0, processedRecords: 0, message: String(error) })}\n`);
  process.exit(1);
});
