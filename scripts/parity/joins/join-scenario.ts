/**
 * A join parity scenario: one join topology and the records piped into its two input topics, in order. The same
 * JSON drives our `TopologyTestDriver` (run-join-on-kstreams.ts) and Kafka Streams' (java/…/JoinParity.java), so
 * every field here is read by both sides. Topics: `left`, `right` (the table or global table, when there is one),
 * `out`. Every joiner writes `left|right` (`null` for a missing side).
 */
import type { StoreKind } from '../scenario.js';

export type JoinKind = 'inner' | 'left' | 'outer';

/** Windows of a windowed cogroup, each with a grace period. */
export type CogroupWindows =
  | { readonly type: 'time'; readonly sizeMs: number; readonly graceMs: number }
  | { readonly type: 'sliding'; readonly timeDifferenceMs: number; readonly graceMs: number }
  | { readonly type: 'session'; readonly gapMs: number; readonly graceMs: number };

export type JoinSpec =
  | {
      readonly type: 'stream-stream';
      readonly kind: JoinKind;
      readonly beforeMs: number;
      readonly afterMs: number;
      /** `null`: `JoinWindows.ofTimeDifferenceWithNoGrace`. */
      readonly graceMs: number | null;
      readonly store: StoreKind;
      /** Joins `left` with itself (`right` is unused). */
      readonly self: boolean;
    }
  | {
      readonly type: 'stream-table';
      readonly kind: Exclude<JoinKind, 'outer'>;
      /** The table's versioned store's history retention; `null` for a plain timestamped store. */
      readonly versionedRetentionMs: number | null;
      /** `Joined.withGracePeriod`; needs a versioned table. */
      readonly graceMs: number | null;
      readonly store?: undefined;
    }
  | { readonly type: 'table-table'; readonly kind: JoinKind; readonly materialized: boolean; readonly store?: undefined }
  /** `left`'s values are `<foreign key>/<payload>` (`-/…`: no foreign key), `right` is keyed by foreign key. */
  | { readonly type: 'foreign-key'; readonly kind: Exclude<JoinKind, 'outer'>; readonly store?: undefined }
  /** `left` is the stream, `right` the global table, looked up by the value's part before `/`. */
  | { readonly type: 'stream-global'; readonly kind: Exclude<JoinKind, 'outer'>; readonly store?: undefined }
  /** `left` and `right` cogrouped into `i,L<v>,R<v>,…` (sessions merge as `older|newer`). */
  | { readonly type: 'cogroup'; readonly kind: 'inner'; readonly windows: CogroupWindows | null; readonly store: StoreKind };

export type JoinType = JoinSpec['type'];

export interface JoinInputRecord {
  readonly topic: 'left' | 'right';
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: number;
}

export interface JoinScenario {
  readonly name: string;
  readonly join: JoinSpec;
  readonly records: readonly JoinInputRecord[];
}

/** One record of `out`; windowed cogroup keys read `key@start/end`. */
export interface JoinOutputRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: number;
}

export interface JoinScenarioResult {
  readonly name: string;
  readonly records?: readonly JoinOutputRecord[];
  readonly droppedRecords?: number;
  readonly error?: string;
}

/** The join's configuration, which groups mismatches that likely share one cause. */
export function joinScenarioKind({ join }: JoinScenario): string {
  switch (join.type) {
    case 'stream-stream':
      return `stream-stream ${join.kind}${join.self ? ' self' : ''} ${join.graceMs === null ? 'no grace' : 'grace'} ${join.store}`;
    case 'stream-table':
      return `stream-table ${join.kind}${join.versionedRetentionMs === null ? '' : ' versioned'}${join.graceMs === null ? '' : ' grace'}`;
    case 'table-table':
      return `table-table ${join.kind}${join.materialized ? ' materialized' : ''}`;
    case 'cogroup':
      return `cogroup ${join.windows?.type ?? 'unwindowed'} ${join.store}`;
    default:
      return `${join.type} ${join.kind}`;
  }
}

/** The scenario's whole configuration in one line. */
export function describeJoinScenario(scenario: JoinScenario): string {
  const { join } = scenario;
  if (join.type === 'stream-stream') return `${joinScenarioKind(scenario)} before ${join.beforeMs} after ${join.afterMs} grace ${join.graceMs}`;
  if (join.type === 'stream-table') return `${joinScenarioKind(scenario)} retention ${join.versionedRetentionMs} grace ${join.graceMs}`;
  if (join.type === 'cogroup' && join.windows !== null) return `${joinScenarioKind(scenario)} ${JSON.stringify(join.windows)}`;
  return joinScenarioKind(scenario);
}

export function showJoinRecord(record: JoinOutputRecord | undefined): string {
  if (record === undefined) return '-';
  return `${record.key}=${record.value} @${record.timestamp}`;
}

export function showJoinInput(scenario: JoinScenario): string {
  return scenario.records.map((r) => `${r.topic === 'left' ? 'L' : 'R'}:${r.key}=${r.value}@${r.timestamp}`).join(' ');
}
