/**
 * A parity scenario: one windowed aggregation and the records piped into it. The same JSON drives our
 * `TopologyTestDriver` (run-on-kstreams.ts) and Kafka Streams' own (java/…/Parity.java), so every field here is
 * read by both sides. A `graceMs` of `null` means the `…WithNoGrace` factory.
 */
export type WindowSpec =
  | { readonly type: 'time'; readonly sizeMs: number; readonly advanceMs: number | null; readonly graceMs: number | null }
  | { readonly type: 'sliding'; readonly timeDifferenceMs: number; readonly graceMs: number | null }
  | { readonly type: 'session'; readonly gapMs: number; readonly graceMs: number | null };

/**
 * `count` gives Long values; `reduce` joins values with `+`; `aggregate` starts from `"i"` and appends `,value`,
 * and (sessions) merges with `left|right`, so the order of every fold and merge shows in the result.
 */
export type Aggregation = 'count' | 'reduce' | 'aggregate';

/** How results leave the aggregation: every update, `emitStrategy(onWindowClose)`, or through `suppress`. */
export type EmitSpec =
  | { readonly type: 'onWindowUpdate' }
  | { readonly type: 'onWindowClose' }
  | { readonly type: 'suppressUntilWindowCloses' }
  | {
      readonly type: 'suppressUntilTimeLimit';
      readonly timeLimitMs: number;
      /** With a bound, the buffer emits early when full; with neither bound it is unbounded. */
      readonly maxRecords: number | null;
      readonly maxBytes: number | null;
    };

/** `persistent` is SQLite here and RocksDB in Kafka Streams; `in-memory` is each side's in-memory store. */
export type StoreKind = 'persistent' | 'in-memory';

/** `null` keys and values are piped as such: both sides drop such records (or not) by their own rules. */
export interface InputRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: number;
}

export interface Scenario {
  readonly name: string;
  readonly windows: WindowSpec;
  readonly aggregation: Aggregation;
  readonly emit: EmitSpec;
  readonly store: StoreKind;
  /**
   * The store's retention; `null` for the default (Kafka Streams' minimum: size + grace, sliding 2 × difference +
   * grace, sessions gap + grace), where windows leave the store at the moment they close.
   */
  readonly retentionMs: number | null;
  /**
   * The aggregation's store cached (both sides' default: Kafka Streams with `statestore.cache.max.bytes` at its
   * default), or not (`statestore.cache.max.bytes=0` there, `caching: false` here). Both drivers commit, and so
   * flush the cache, after every input record.
   */
  readonly caching: boolean;
  readonly records: readonly InputRecord[];
}

/** One record of the output topic: the windowed key taken apart, the value (`null` = tombstone), its timestamp. */
export interface OutputRecord {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly value: number | string | null;
  readonly timestamp: number;
}

/** What one side produced for a scenario, or the error it failed with. */
export interface ScenarioResult {
  readonly name: string;
  readonly records?: readonly OutputRecord[];
  /** Records the task dropped (`dropped-records-total` in Kafka Streams; `droppedRecords.total` here). */
  readonly droppedRecords?: number;
  readonly error?: string;
}

/** Window kind, aggregation, emission, store and caching: what groups mismatches that likely share one cause. */
export function scenarioKind(scenario: Scenario): string {
  const { windows } = scenario;
  const kind = windows.type === 'time' ? (windows.advanceMs === null ? 'tumbling' : 'hopping') : windows.type;
  const retention = scenario.retentionMs === null ? 'default retention' : 'long retention';
  const { emit } = scenario;
  const bound = emit.type !== 'suppressUntilTimeLimit' ? '' : emit.maxRecords !== null ? '(maxRecords)' : emit.maxBytes !== null ? '(maxBytes)' : '(unbounded)';
  return `${kind} ${scenario.aggregation} ${emit.type}${bound} ${scenario.store} ${retention}${scenario.caching ? ' cached' : ''}`;
}

/** A short label of a scenario's whole configuration. */
export function describeScenario(scenario: Scenario): string {
  const { windows, emit } = scenario;
  const grace = windows.graceMs === null ? 'no grace' : `grace ${windows.graceMs}`;
  const shape =
    windows.type === 'time'
      ? `${windows.advanceMs === null ? 'tumbling' : 'hopping'}(${windows.sizeMs}${windows.advanceMs === null ? '' : `/${windows.advanceMs}`}, ${grace})`
      : windows.type === 'sliding'
        ? `sliding(${windows.timeDifferenceMs}, ${grace})`
        : `session(gap ${windows.gapMs}, ${grace})`;
  const retention = scenario.retentionMs === null ? '' : ` retention ${scenario.retentionMs}`;
  return `${shape} ${scenario.aggregation} ${describeEmit(emit)} ${scenario.store}${retention}${scenario.caching ? ' cached' : ''}`;
}

function describeEmit(emit: EmitSpec): string {
  if (emit.type !== 'suppressUntilTimeLimit') return emit.type;
  const bound = emit.maxRecords !== null ? `maxRecords ${emit.maxRecords}` : emit.maxBytes !== null ? `maxBytes ${emit.maxBytes}` : 'unbounded';
  return `suppressUntilTimeLimit(${emit.timeLimitMs}, ${bound})`;
}
