/**
 * Counters behind a repartition topic, run as child processes by the repartition crash tests: the input is keyed by
 * user, `groupBy` re-keys each record by the page it names, so every upstream task's transactional producer writes
 * to every partition of the repartition topic, and a crash aborts several interleaved transactions there.
 *
 * Usage: `node --import tsx test/integration/support/repartition-crash-app.ts '<RepartitionCrashAppConfig as JSON>'`
 * with KAFKA_BROKERS set (events as in `crash-app-runner.ts`). Input values are sequence numbers; the page of input
 * `seq` is `pageOf(seq)` (`repartition-crash-shape.ts`). `count`: every count update of a page; `windowed`: one final count per page and tumbling
 * window, through `suppress(untilWindowCloses)`.
 */
import { BufferConfig, Serdes, StreamsBuilder, Suppressed, TimeWindows, WindowedSerdes } from '../../../src/index.js';
import { runCrashApp } from './crash-app-runner.js';
import { pageOf, type RepartitionCrashAppConfig } from './repartition-crash-shape.js';

runCrashApp((config: RepartitionCrashAppConfig) => {
  const builder = new StreamsBuilder();
  const byPage = builder
    .stream(config.input, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
    .groupBy((_user, seq) => pageOf(seq, config.pages), { keySerde: Serdes.String(), valueSerde: Serdes.Integer(), name: 'by-page' });
  if (config.shape === 'count') {
    byPage.count({ storeName: 'page-counts', caching: false }).toStream().to(config.output, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  } else {
    byPage
      .windowedBy(TimeWindows.ofSizeAndGrace(config.windowSizeMs, config.graceMs))
      .count({ storeName: 'page-window-counts' })
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
      .toStream()
      .to(config.output, { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), config.windowSizeMs), valueSerde: Serdes.Long() });
  }
  return builder.build();
}, { cacheMaxBytes: 0 });
