/**
 * A windowed counter run as a child process by the windowed crash test, so that it can SIGKILL a real process while
 * windows are open and final results are held back.
 *
 * Usage: `node --import tsx test/integration/support/windowed-crash-app.ts '<WindowedCrashAppConfig as JSON>'` with
 * KAFKA_BROKERS set (the events it prints are described in `crash-app-runner.ts`). It counts the records of each key
 * per tumbling window and, through `suppress(untilWindowCloses)`, emits one final count per key and window once
 * stream time passes the window's end plus grace: key = time-windowed key (string key + window start), value = the
 * count as a Long.
 */
import { BufferConfig, Serdes, StreamsBuilder, Suppressed, TimeWindows, WindowedSerdes } from '../../../src/index.js';
import { runCrashApp, type CrashAppConfig } from './crash-app-runner.js';

export interface WindowedCrashAppConfig extends CrashAppConfig {
  readonly windowSizeMs: number;
  readonly graceMs: number;
}

runCrashApp((config: WindowedCrashAppConfig) => {
  const builder = new StreamsBuilder();
  builder
    .stream(config.input, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(config.windowSizeMs, config.graceMs))
    .count({ storeName: 'window-counts' })
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
    .toStream()
    .to(config.output, { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), config.windowSizeMs), valueSerde: Serdes.Long() });
  return builder.build();
});
