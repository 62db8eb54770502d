import type { Record, RecordMetadata } from './record.js';

export type PunctuationType = 'stream-time' | 'wall-clock';

export type Punctuator = (timestampMs: number) => void;

/** Returned by `schedule`; `cancel()` stops further punctuations. */
export interface Cancellable {
  cancel(): void;
}

/** The opaque shape stores share; concrete store interfaces live in `state`. */
export interface ProcessorStateStore {
  readonly name: string;
}

/**
 * Why a processor dropped a record on purpose: the DSL drops records an aggregation or a repartition cannot use,
 * and windowed aggregations drop records whose windows have closed (`lateRecord`: stream time passed window end +
 * grace). `staleRecord`: a change superseded before it could count, such as an out-of-order update of a versioned
 * table that a join skips (KIP-914), or a foreign-key join response for a value that has since changed.
 */
export type DroppedRecordReason = 'nullKey' | 'nullValue' | 'lateRecord' | 'staleRecord';

/** What a processor sees of its task while it runs. */
export interface ProcessorContext<KOut = unknown, VOut = unknown> {
  readonly applicationId: string;
  /** `<subtopology>_<partition>`, e.g. `0_3`. */
  readonly taskId: string;
  /** Forward to all children, or only to the child named `childName`. */
  forward<K extends KOut, V extends VOut>(record: Record<K, V>, childName?: string): void;
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  getStateStore<S extends ProcessorStateStore>(name: string): S;
  /** Topic, partition and offset of the input record being processed; `null` inside a punctuation. */
  recordMetadata(): RecordMetadata | null;
  currentStreamTimeMs(): number;
  currentSystemTimeMs(): number;
  /** Asks the runtime to commit the task soon (after the current record). */
  commit(): void;
  /**
   * Reports that the processor drops the current record on purpose (e.g. an aggregation skipping a record without
   * a key), so it does not disappear silently: the task counts it under `droppedRecords` and logs it at debug level
   * with its coordinates. The runtime always provides it; it is optional so that hand-written contexts (test
   * doubles) need not.
   */
  recordDropped?(reason: DroppedRecordReason): void;
  /**
   * The task's `outerJoinEmitIntervalMs` (Kafka Streams' internal
   * `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__`): how often, in wall-clock time, left and outer
   * stream-stream joins look for records whose window closed without a partner. Set by the runtime; absent in
   * hand-written contexts, where joins use Kafka Streams' 1000 ms.
   */
  readonly outerJoinEmitIntervalMs?: number;
}

export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: Record<KIn, VIn>): void;
  close?(): void;
}

/** Makes a fresh processor for each task: topologies hold suppliers, never processor instances. */
export type ProcessorSupplier<KIn, VIn, KOut = never, VOut = never> = () => Processor<KIn, VIn, KOut, VOut>;

/** A processor that may change values but never keys (`processValues`), so no repartition is needed after it. */
export interface FixedKeyProcessor<KIn, VIn, VOut = never> {
  init?(context: FixedKeyProcessorContext<KIn, VOut>): void;
  process(record: Record<KIn, VIn>): void;
  close?(): void;
}

export interface FixedKeyProcessorContext<K, VOut> extends Omit<ProcessorContext<K, VOut>, 'forward'> {
  forward<V extends VOut>(record: Record<K, V>, childName?: string): void;
}

export type FixedKeyProcessorSupplier<KIn, VIn, VOut = never> = () => FixedKeyProcessor<KIn, VIn, VOut>;
