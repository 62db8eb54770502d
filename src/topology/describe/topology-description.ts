/**
 * What `Topology.describe()` returns: plain, JSON-ready data. Nodes, topics, stores and edges are ordered as
 * Kafka Streams orders them, so the text formatter prints what Kafka Streams would print for the same topology.
 */
export interface TopologyDescription {
  readonly subtopologies: readonly SubtopologyDescription[];
  /** Global stores, in id order; their ids are numbered together with the sub-topologies'. */
  readonly globalStores: readonly GlobalStoreDescription[];
}

/** Kafka Streams' `TopologyDescription.GlobalStore`: the source reading the topic and the processor keeping the store. */
export interface GlobalStoreDescription {
  readonly id: number;
  readonly source: SourceDescription;
  readonly processor: ProcessorDescription;
}

export interface SubtopologyDescription {
  readonly id: number;
  readonly nodes: readonly NodeDescription[];
}

export interface SourceDescription {
  readonly type: 'source';
  readonly name: string;
  /** Short names, as registered (internal topics without the application id prefix). */
  readonly topics: readonly string[];
  readonly successors: readonly string[];
  readonly predecessors: readonly string[];
}

export interface ProcessorDescription {
  readonly type: 'processor';
  readonly name: string;
  readonly stores: readonly string[];
  readonly successors: readonly string[];
  readonly predecessors: readonly string[];
}

export interface SinkDescription {
  readonly type: 'sink';
  readonly name: string;
  /** The fixed topic, or `null` when a topic name extractor chooses it per record. */
  readonly topic: string | null;
  /** The extractor's function name (`anonymous` when it has none), or `null` for a fixed topic. */
  readonly topicExtractor: string | null;
  readonly successors: readonly string[];
  readonly predecessors: readonly string[];
}

export type NodeDescription = SourceDescription | ProcessorDescription | SinkDescription;
