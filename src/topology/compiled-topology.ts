import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../core/processor.js';
import type { StoreBuilder } from '../state/state-store.js';
import type { SinkOptions, SourceOptions, TopicNameExtractor } from './node-options.js';

/**
 * Any processor supplier a topology can hold. Method parameters are bivariant in TypeScript, so a typed
 * `ProcessorSupplier<string, number, string, string>` fits here without casts.
 */
export type AnyProcessorSupplier =
  | ProcessorSupplier<unknown, unknown, unknown, unknown>
  | FixedKeyProcessorSupplier<unknown, unknown, unknown>;

export interface SourceNodeSpec {
  readonly kind: 'source';
  readonly name: string;
  /** Short names: internal topics are not yet prefixed with the application id. */
  readonly topics: readonly string[];
  readonly options: SourceOptions;
  readonly children: readonly string[];
}

export interface ProcessorNodeSpec {
  readonly kind: 'processor';
  readonly name: string;
  readonly supplier: AnyProcessorSupplier;
  readonly parents: readonly string[];
  readonly children: readonly string[];
  /** Stores this processor may read and write, in the order they were connected. */
  readonly stores: readonly string[];
}

export interface SinkNodeSpec {
  readonly kind: 'sink';
  readonly name: string;
  /** A fixed topic (short name when `options.internal`) or an extractor choosing one per record. */
  readonly topic: string | TopicNameExtractor;
  readonly options: SinkOptions;
  readonly parents: readonly string[];
}

export type NodeSpec = SourceNodeSpec | ProcessorNodeSpec | SinkNodeSpec;

export interface SourceTopicSpec {
  readonly name: string;
  /** A repartition topic of this application: the runtime prefixes it with `<applicationId>-`. */
  readonly internal: boolean;
}

/** One connected component of the topology: the unit a task runs, once per input partition. */
export interface SubtopologySpec {
  readonly id: number;
  /** Every node of the component, parents before children (the order they were added to the topology). */
  readonly nodes: readonly NodeSpec[];
  readonly sourceTopics: readonly SourceTopicSpec[];
  /** Stores used by the processors of this component, in the order they were first connected. */
  readonly storeNames: readonly string[];
}

/**
 * A global store (Kafka Streams' `addGlobalStore`, `builder.globalTable`): one source reading every partition of its
 * topic and one processor keeping the store, run on every instance by the global state updater instead of as tasks.
 * Shaped as a sub-topology so the task code can instantiate it; `id` is its number among the sub-topologies, which
 * `describe()` shows (`Sub-topology: N for global store (will not generate tasks)`).
 */
export interface GlobalStoreSpec extends SubtopologySpec {
  /** The topic, which is also the store's changelog: global stores have none of their own. */
  readonly topic: string;
  readonly storeName: string;
  readonly source: SourceNodeSpec;
  readonly processor: ProcessorNodeSpec;
}

export interface StoreSpec {
  readonly name: string;
  readonly builder: StoreBuilder;
  readonly processors: readonly string[];
}

export interface InternalTopicSpec {
  /** Short name, without the `<applicationId>-` prefix. */
  readonly name: string;
  /** Partition count requested by the sink writing it, when one was given. */
  readonly partitions: number | undefined;
}

/** The frozen, runtime-ready view of a {@link Topology}: what tasks and the test driver run. */
export interface CompiledTopology {
  /** The sub-topologies that run as tasks; their ids skip the numbers global stores take. */
  readonly subtopologies: readonly SubtopologySpec[];
  /** Global stores, in id order; their stores are listed in `stores` too. */
  readonly globalStores: readonly GlobalStoreSpec[];
  readonly stores: readonly StoreSpec[];
  readonly internalTopics: readonly InternalTopicSpec[];
  /**
   * Kafka Streams' co-partition groups: the source topics of each join (both sides, repartition topics included),
   * which must have the same partition count. The runtime's co-partition enforcer checks the external ones and
   * sizes the repartition ones to match.
   */
  readonly copartitionGroups: readonly (readonly SourceTopicSpec[])[];
}

/** The `<applicationId>-<name>` form Kafka Streams gives internal topics on the broker. */
export function prefixInternalTopic(applicationId: string, shortName: string): string {
  return `${applicationId}-${shortName}`;
}
