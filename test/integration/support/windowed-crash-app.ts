/**
 * A windowed counter run as a child process by the windowed crash test, so that it can SIGKILL a real process while
 * windows are open and final results are held back.
 *
 * Usage: `node --import tsx test/integration/support/windowed-crash-app.ts '<WindowedCrashAppConfig as JSON>'` with
 * KAFKA_BROKERS set. It counts the records of each key per tumbling window and, through
 * `suppress(untilWindowCloses)`, emits one final count per key and window once stream time passes the window's end
 * plus grace: key = time-windowed key (string key + window start), value = the count as a Long.
 *
 * It speaks the protocol of `crash-app.ts` (see `CrashAppProcess`): one JSON line per event on stdout (`running` on
 * every move to RUNNING, `closing` before a clean close on SIGTERM, `error`); logs go to stderr.
 */
import { pino } from 'pino';
import {
  BufferConfig,
  KafkaStreams,
  Serdes,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  WindowedSerdes,
  type StreamsMetrics,
} from '../../../src/index.js';
import { brokers } from './broker.js';
import type { CrashAppConfig, CrashAppEvent } from './crash-app.js';

export interface WindowedCrashAppConfig extends CrashAppConfig {
  readonly windowSizeMs: number;
  readonly graceMs: number;
}

function emit(event: CrashAppEvent['event'], metrics: StreamsMetrics, message?: string): void {
  const line: CrashAppEvent = { event, pid: process.pid, ...metrics.totals, ...(message === undefined ? {} : { message }) };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as WindowedCrashAppConfig;
  const builder = new StreamsBuilder();
  builder
    .stream(config.input, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(config.windowSizeMs, config.graceMs))
    .count({ storeName: 'window-counts' })
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
    .toStream()
    .to(config.output, { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), config.windowSizeMs), valueSerde: Serdes.Long() });

  const logger = pino({ level: process.env.KSTREAMS_TEST_LOG ?? 'silent' }, pino.destination(2));
  const streams = new KafkaStreams(builder.build(), {
    applicationId: config.applicationId,
    bootstrapServers: brokers(),
    stateDir: config.stateDir,
    processingGuarantee: config.guarantee,
    commitIntervalMs: config.commitIntervalMs,
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
