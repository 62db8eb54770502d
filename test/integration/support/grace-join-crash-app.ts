/**
 * A stream-table join with a grace period run as a child process by the grace-join crash test, so that it can
 * SIGKILL a real process while stream records wait in the join's buffer.
 *
 * Usage: `node --import tsx test/integration/support/grace-join-crash-app.ts '<GraceJoinCrashAppConfig as JSON>'`
 * with KAFKA_BROKERS set (events as in `crash-app-runner.ts`). It joins the input (string keys, Integer values)
 * with the versioned table read from `tableTopic` and writes `<seq>|<table value>` for every input it joined.
 */
import { Serdes, StreamsBuilder } from '../../../src/index.js';
import { runCrashApp, type CrashAppConfig } from './crash-app-runner.js';

export interface GraceJoinCrashAppConfig extends CrashAppConfig {
  readonly tableTopic: string;
  readonly graceMs: number;
  readonly historyRetentionMs: number;
}

runCrashApp((config: GraceJoinCrashAppConfig) => {
  const builder = new StreamsBuilder();
  const table = builder.table(config.tableTopic, {
    keySerde: Serdes.String(),
    valueSerde: Serdes.String(),
    storeName: 'table-versions',
    versioned: { historyRetentionMs: config.historyRetentionMs },
  });
  builder
    .stream(config.input, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
    .join(table, (seq, tableValue) => `${seq}|${tableValue}`, { keySerde: Serdes.String(), valueSerde: Serdes.Integer(), gracePeriodMs: config.graceMs, name: 'late-join' })
    .to(config.output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  return builder.build();
});
