import { TopologyError } from '../core/errors.js';
import type { StoreBuilder } from '../state/state-store.js';
import { compileTopology, type NodeDefinition, type StoreDefinition } from './compile-topology.js';
import type { ProcessorSupplier } from '../core/processor.js';
import type { AnyProcessorSupplier, CompiledTopology } from './compiled-topology.js';
import { describeTopology } from './describe/describe-topology.js';
import { printableAsText } from './describe/printable-description.js';
import type { TopologyDescription } from './describe/topology-description.js';
import type { SinkOptions, SourceOptions, TopicNameExtractor } from './node-options.js';

/**
 * A graph of sources, processors and sinks (Kafka Streams' Processor API). The DSL compiles into this class;
 * users may also build one by hand. Every `add*` method validates immediately and throws a `TopologyError`, so a
 * mistake points at the call that made it. Methods return `this` so calls can be chained.
 *
 * Nodes may leave serdes undefined: the runtime (or `TopologyTestDriver`) config supplies `defaultKeySerde` and
 * `defaultValueSerde`, and a task fails at init, naming the node, when neither exists.
 */
export class Topology {
  private readonly nodes = new Map<string, NodeDefinition>();
  private readonly stores = new Map<string, StoreDefinition>();
  private readonly topicOwners = new Map<string, string>();
  private readonly copartitionedSources: string[][] = [];
  /** Source and processor names of global stores, which nothing else may attach to. */
  private readonly globalNodes = new Set<string>();
  private readonly globalSources = new Set<string>();
  private compiled: CompiledTopology | undefined;

  /**
   * Adds a source node reading `topics`. A topic may be read by one source only.
   * With `options.internal`, the topics are this application's repartition topics, given by short name
   * (e.g. `KSTREAM-AGGREGATE-0000000003-repartition`); the runtime reads `<applicationId>-<name>`.
   */
  addSource<K = unknown, V = unknown>(name: string, topics: string | readonly string[], options: SourceOptions<K, V> = {}): this {
    this.requireNewName(name);
    const topicList = typeof topics === 'string' ? [topics] : [...topics];
    if (topicList.length === 0) throw new TopologyError(`Source ${name} must subscribe to at least one topic`);
    for (const topic of topicList) {
      if (topic.length === 0) throw new TopologyError(`Source ${name} has an empty topic name`);
      const owner = this.topicOwners.get(topic);
      if (owner !== undefined) {
        throw new TopologyError(`Topic ${topic} has already been registered by source ${owner}; source ${name} cannot read it too`);
      }
    }
    for (const topic of topicList) this.topicOwners.set(topic, name);
    this.define({ kind: 'source', name, topics: topicList, options: { ...(options as SourceOptions) } });
    return this;
  }

  /**
   * Adds a global store (Kafka Streams' `addGlobalStore`): every instance reads every partition of `topic` through the
   * source `sourceName` into the processor `processorName`, which keeps `storeBuilder`'s store current, before and
   * while its tasks run. The topic is the store's changelog, so the store must have logging disabled. Any processor
   * of the topology may read the store by name without connecting it; the global state updater alone writes it.
   */
  addGlobalStore<K = unknown, V = unknown>(
    storeBuilder: StoreBuilder,
    sourceName: string,
    topic: string,
    options: SourceOptions<K, V>,
    processorName: string,
    stateUpdateSupplier: ProcessorSupplier<K, V>,
  ): this {
    const storeName = storeBuilder.name;
    if (storeBuilder.loggingEnabled) throw new TopologyError(`StateStore ${storeName} for global table must not have logging enabled.`, { coordinates: { store: storeName } });
    if (this.stores.has(storeName)) throw new TopologyError(`A different state store has already been added with the name ${storeName}`, { coordinates: { store: storeName } });
    if (options.internal === true) throw new TopologyError(`Global store ${storeName} cannot read an internal topic`, { coordinates: { store: storeName } });
    if (sourceName === processorName) throw new TopologyError(`Global store ${storeName} needs different names for its source and processor, got ${sourceName} twice`);
    this.requireNewName(processorName);
    if (typeof stateUpdateSupplier !== 'function') throw new TopologyError(`Processor ${processorName} needs a supplier function`);
    this.addSource(sourceName, topic, options);
    this.define({ kind: 'processor', name: processorName, supplier: stateUpdateSupplier as AnyProcessorSupplier, parents: [sourceName], stores: [storeName] });
    this.stores.set(storeName, { builder: storeBuilder, processors: [processorName] });
    this.globalSources.add(sourceName);
    this.globalNodes.add(sourceName).add(processorName);
    return this;
  }

  /**
   * Adds a processor fed by every node in `parentNames` (at least one; sources or processors, added earlier).
   * `supplier` is called once per task, so each task gets a fresh processor instance.
   * Records forwarded by a parent reach its children in the order the children were added.
   */
  addProcessor(name: string, supplier: AnyProcessorSupplier, ...parentNames: string[]): this {
    this.requireNewName(name);
    if (typeof supplier !== 'function') throw new TopologyError(`Processor ${name} needs a supplier function`);
    if (parentNames.length === 0) throw new TopologyError(`Processor ${name} must have at least one parent`);
    this.requireParents(name, parentNames);
    this.define({ kind: 'processor', name, supplier, parents: [...parentNames], stores: [] });
    return this;
  }

  /**
   * Adds a sink writing what its parents forward to `topic` (a fixed name, or an extractor choosing one per
   * record). Call as `addSink(name, topic, ...parents)` or `addSink(name, topic, options, ...parents)`.
   * With `options.internal` the topic is a repartition topic given by short name; `options.partitions` is its
   * partition count.
   */
  addSink<K = unknown, V = unknown>(name: string, topic: string | TopicNameExtractor<K, V>, ...parentNames: string[]): this;
  addSink<K = unknown, V = unknown>(
    name: string,
    topic: string | TopicNameExtractor<K, V>,
    options: SinkOptions<K, V>,
    ...parentNames: string[]
  ): this;
  addSink(name: string, topic: string | TopicNameExtractor, ...rest: Array<string | SinkOptions>): this {
    const hasOptions = rest[0] === undefined || typeof rest[0] === 'object';
    const options: SinkOptions = (hasOptions ? (rest.shift() as SinkOptions | undefined) : undefined) ?? {};
    const parentNames = rest as string[];
    this.requireNewName(name);
    if (typeof topic === 'string' ? topic.length === 0 : typeof topic !== 'function') {
      throw new TopologyError(`Sink ${name} needs a topic name or a topic name extractor`);
    }
    if (options.internal === true && typeof topic !== 'string') {
      throw new TopologyError(`Sink ${name} writes an internal topic, which needs a fixed name`);
    }
    if (options.partitions !== undefined && !(Number.isInteger(options.partitions) && options.partitions > 0)) {
      throw new TopologyError(`Sink ${name} asks for ${options.partitions} partitions; use a positive integer`);
    }
    if (parentNames.length === 0) throw new TopologyError(`Sink ${name} must have at least one parent`);
    this.requireParents(name, parentNames);
    this.define({ kind: 'sink', name, topic, options: { ...options }, parents: [...parentNames] });
    return this;
  }

  /**
   * Registers a store (built once per task) and connects it to `processorNames`. Adding the same builder object
   * again is allowed (to connect more processors); another builder with the same store name is an error.
   */
  addStateStore(storeBuilder: StoreBuilder, ...processorNames: string[]): this {
    const existing = this.stores.get(storeBuilder.name);
    if (processorNames.length > 0) this.refuseGlobalStore(storeBuilder.name);
    if (existing !== undefined && existing.builder !== storeBuilder) {
      throw new TopologyError(`A different state store has already been added with the name ${storeBuilder.name}`);
    }
    for (const processorName of processorNames) this.requireProcessor(processorName, storeBuilder.name);
    if (existing === undefined) this.stores.set(storeBuilder.name, { builder: storeBuilder, processors: [] });
    for (const processorName of processorNames) this.connect(processorName, storeBuilder.name);
    this.compiled = undefined;
    return this;
  }

  /** Gives an existing processor access to stores added earlier with {@link addStateStore}. */
  connectProcessorAndStateStores(processorName: string, ...storeNames: string[]): this {
    if (storeNames.length === 0) throw new TopologyError(`Connecting processor ${processorName} needs at least one store name`);
    for (const storeName of storeNames) {
      this.refuseGlobalStore(storeName);
      if (!this.stores.has(storeName)) throw new TopologyError(`State store ${storeName} is not added yet`, { coordinates: { store: storeName } });
      this.requireProcessor(processorName, storeName);
    }
    for (const storeName of storeNames) this.connect(processorName, storeName);
    this.compiled = undefined;
    return this;
  }

  /**
   * Declares that the topics of these source nodes must be co-partitioned (Kafka Streams'
   * `InternalTopologyBuilder.copartitionSources`, which its DSL calls for every join): at start-up their external
   * topics must have the same partition count, and their repartition topics without a fixed count get that count.
   */
  copartitionSources(...sourceNames: string[]): this {
    if (sourceNames.length === 0) throw new TopologyError('A co-partition group needs at least one source node');
    for (const name of sourceNames) {
      const node = this.nodes.get(name);
      if (node === undefined) throw new TopologyError(`Source ${name} of a co-partition group is not added yet`, { coordinates: { processor: name } });
      if (node.kind !== 'source') throw new TopologyError(`Cannot co-partition ${node.kind} node ${name}; only sources have topics`);
      if (this.globalSources.has(name)) throw new TopologyError(`Cannot co-partition ${name}: a global store reads every partition`);
    }
    this.copartitionedSources.push([...new Set(sourceNames)]);
    this.compiled = undefined;
    return this;
  }

  /** Plain data describing sub-topologies and nodes, ordered as Kafka Streams orders them; see `formatTopologyText`. */
  describe(): TopologyDescription {
    return printableAsText(describeTopology(this.build()));
  }

  /**
   * The frozen, runtime-ready view: sub-topologies (connected components over parent edges and shared stores,
   * numbered by their first node), each with its nodes in insertion order, source topics and store names, plus
   * every store and internal topic. Cached until the topology changes.
   */
  build(): CompiledTopology {
    this.compiled ??= compileTopology(this.nodes, this.stores, this.copartitionedSources, this.globalSources);
    return this.compiled;
  }

  private define(node: NodeDefinition): void {
    this.nodes.set(node.name, node);
    this.compiled = undefined;
  }

  private requireNewName(name: string): void {
    if (typeof name !== 'string' || name.length === 0) throw new TopologyError('Node names must be non-empty strings');
    if (this.nodes.has(name)) throw new TopologyError(`Processor ${name} is already added`, { coordinates: { processor: name } });
  }

  private requireParents(name: string, parentNames: readonly string[]): void {
    const seen = new Set<string>();
    for (const parent of parentNames) {
      if (parent === name) throw new TopologyError(`Processor ${name} cannot be a parent of itself`);
      if (seen.has(parent)) throw new TopologyError(`Processor ${name} lists parent ${parent} twice`);
      seen.add(parent);
      const node = this.nodes.get(parent);
      if (node === undefined) throw new TopologyError(`Parent ${parent} of ${name} is not added yet`, { coordinates: { processor: name } });
      if (node.kind === 'sink') throw new TopologyError(`Sink ${parent} cannot be used as a parent (of ${name})`);
      if (this.globalNodes.has(parent)) throw new TopologyError(`${parent} belongs to a global store and cannot be a parent (of ${name})`);
    }
  }

  /** Kafka Streams' rule: processors read global stores without being connected to them. */
  private refuseGlobalStore(storeName: string): void {
    const store = this.stores.get(storeName);
    if (store !== undefined && store.processors.some((processor) => this.globalNodes.has(processor))) {
      throw new TopologyError(`Global StateStore ${storeName} can be used by a Processor without being specified; it should not be explicitly passed.`, {
        coordinates: { store: storeName },
      });
    }
  }

  private requireProcessor(processorName: string, storeName: string): void {
    const node = this.nodes.get(processorName);
    if (node === undefined) throw new TopologyError(`Processor ${processorName} is not added yet`, { coordinates: { processor: processorName, store: storeName } });
    if (node.kind !== 'processor') {
      throw new TopologyError(`Cannot connect state store ${storeName} to ${node.kind} node ${processorName}; only processors use stores`);
    }
  }

  private connect(processorName: string, storeName: string): void {
    const processor = this.nodes.get(processorName) as Extract<NodeDefinition, { kind: 'processor' }>;
    if (!processor.stores.includes(storeName)) processor.stores.push(storeName);
    const store = this.stores.get(storeName)!;
    if (!store.processors.includes(processorName)) store.processors.push(processorName);
  }
}
