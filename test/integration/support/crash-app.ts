/**
 * A per-key counter run as a child process by the crash tests, so that they can SIGKILL a real process mid-stream.
 *
 * Usage: `node --import tsx test/integration/support/crash-app.ts '<CrashAppConfig as JSON>'` with KAFKA_BROKERS set
 * (the events it prints are described in `crash-app-runner.ts`). It counts the records of each key and emits every
 * updated count as `{ count, seq }`, where `seq` is the value of the input record that produced it: the test can
 * then tell which input each emitted count stands for.
 */
import { Serdes, StreamsBuilder } from '../../../src/index.js';
import { runCrashApp, type CrashAppConfig } from './crash-app-runner.js';

/** What the counter stores and emits per key: how many records it counted, and the value of the last one. */
export interface CountUpdate {
  readonly count: number;
  readonly seq: number;
}

runCrashApp(
  (config: CrashAppConfig) => {
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
    return builder.build();
  },
  { cacheMaxBytes: 0 },
);
