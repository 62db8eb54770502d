import { changelogTopicName } from '../../state/changelog.js';
import type { CompiledTopology, StoreSpec, SubtopologySpec } from '../compiled-topology.js';

/**
 * How much a change between two versions of a topology matters to a running application:
 * `loses-state` — deployed over the old one, state or records in flight are silently lost (`kstreams diff` exits 1);
 * `check` — it may be fine, depending on things the topology does not say (partition counts, keys);
 * `safe` — nothing is lost (new stores and topics start empty).
 */
export type ChangeSeverity = 'loses-state' | 'check' | 'safe';

export interface TopologyChange {
  readonly severity: ChangeSeverity;
  /** The store or topic the change is about (short names: internal topics without the application id). */
  readonly subject: string;
  readonly message: string;
}

/** What of a store decides whether its local state and changelog still fit the new topology. */
interface StoreShape {
  readonly name: string;
  /** The class of the store a task builds: key-value, timestamped key-value, window, session, versioned. */
  readonly kind: string;
  readonly windowSizeMs: number | undefined;
  readonly logged: boolean;
  /** External source topics and repartition topics of the sub-topology whose tasks own the store, sorted. */
  readonly inputs: readonly string[];
}

/**
 * Compares the state-bearing surface of two topologies, the way renaming things silently loses data in Kafka
 * Streams: stores (their names make the changelog topic and the local files), the store kind and window size
 * (the layout of their bytes), the topics feeding a store's tasks (which partition a key lands in), repartition
 * topics (records written by the old version and not yet read) and their fixed partition counts. Serdes are not
 * compared: a serde is a plain object without an identity that could be told apart.
 */
export function diffTopologies(before: CompiledTopology, after: CompiledTopology): TopologyChange[] {
  return [...diffStores(storeShapes(before), storeShapes(after)), ...diffRepartitionTopics(before, after)];
}

function diffStores(before: ReadonlyMap<string, StoreShape>, after: ReadonlyMap<string, StoreShape>): TopologyChange[] {
  const changes: TopologyChange[] = [];
  const added = [...after.values()].filter((store) => !before.has(store.name));
  for (const old of before.values()) {
    const next = after.get(old.name);
    if (next === undefined) {
      const candidates = added.filter((store) => store.kind === old.kind).map((store) => store.name);
      const hint = candidates.length > 0 ? `; renamed to ${candidates.join(' or ')}? A new name starts empty` : '';
      changes.push({ severity: 'loses-state', subject: old.name, message: `store ${old.name} is gone: its state and its changelog ${changelogTopicName('<applicationId>', old.name)} are no longer read${hint}` });
      continue;
    }
    changes.push(...diffStore(old, next));
  }
  for (const store of added) changes.push({ severity: 'safe', subject: store.name, message: `store ${store.name} is new (${store.kind}); it starts empty` });
  return changes;
}

function diffStore(old: StoreShape, next: StoreShape): TopologyChange[] {
  const changes: TopologyChange[] = [];
  const subject = old.name;
  if (old.kind !== next.kind) changes.push({ severity: 'loses-state', subject, message: `store ${subject} changes from ${old.kind} to ${next.kind}: its stored bytes and changelog no longer fit` });
  else if (old.windowSizeMs !== next.windowSizeMs) changes.push({ severity: 'loses-state', subject, message: `store ${subject} changes its window size from ${old.windowSizeMs} ms to ${next.windowSizeMs} ms: stored windows no longer fit` });
  if (old.logged && !next.logged) changes.push({ severity: 'check', subject, message: `store ${subject} is no longer change-logged: a task that moves or loses its disk starts it empty` });
  if (!old.logged && next.logged) changes.push({ severity: 'check', subject, message: `store ${subject} is change-logged now: the changelog holds only what is written from now on` });
  if (old.inputs.join(',') !== next.inputs.join(',')) {
    const message = `store ${subject} is fed by ${next.inputs.join(', ')} instead of ${old.inputs.join(', ')}: unless they are partitioned alike (same counts, same keys), its state sits in the wrong tasks`;
    changes.push({ severity: 'check', subject, message });
  }
  return changes;
}

function diffRepartitionTopics(before: CompiledTopology, after: CompiledTopology): TopologyChange[] {
  const changes: TopologyChange[] = [];
  const next = new Map(after.internalTopics.map((topic) => [topic.name, topic]));
  for (const old of before.internalTopics) {
    const topic = next.get(old.name);
    if (topic === undefined) {
      changes.push({ severity: 'loses-state', subject: old.name, message: `repartition topic ${old.name} is gone: records the old version wrote there and had not read yet are lost` });
    } else if (old.partitions !== topic.partitions) {
      const count = (n: number | undefined) => (n === undefined ? 'the default' : String(n));
      changes.push({ severity: 'loses-state', subject: old.name, message: `repartition topic ${old.name} asks for ${count(topic.partitions)} partitions instead of ${count(old.partitions)}: the existing topic no longer fits, and records in it are keyed for the old count` });
    }
  }
  const known = new Set(before.internalTopics.map((topic) => topic.name));
  for (const topic of after.internalTopics) {
    if (!known.has(topic.name)) changes.push({ severity: 'safe', subject: topic.name, message: `repartition topic ${topic.name} is new` });
  }
  return changes;
}

function storeShapes(topology: CompiledTopology): Map<string, StoreShape> {
  const shapes = new Map<string, StoreShape>();
  for (const spec of topology.stores) {
    const owner = topology.subtopologies.find((s) => s.storeNames.includes(spec.name)) ?? topology.globalStores.find((g) => g.storeName === spec.name);
    shapes.set(spec.name, shapeOf(spec, owner));
  }
  return shapes;
}

function shapeOf(spec: StoreSpec, owner: SubtopologySpec | undefined): StoreShape {
  // A store built but never initialized opens nothing: it tells its class and window size only.
  const store = spec.builder.build() as { readonly windowSizeMs?: unknown };
  const windowSizeMs = typeof store.windowSizeMs === 'number' ? store.windowSizeMs : undefined;
  const inputs = (owner?.sourceTopics ?? []).map((topic) => (topic.internal ? `${topic.name} (repartition)` : topic.name)).sort();
  return { name: spec.name, kind: storeKind(store.constructor.name), windowSizeMs, logged: spec.builder.loggingEnabled, inputs };
}

/** `TypedTimestampedKeyValueStore` → `timestamped key-value`: the store class without its `Typed` prefix and `Store` suffix. */
function storeKind(className: string): string {
  const words = className.replace(/^Typed/, '').replace(/Store$/, '').replace(/KeyValue/g, 'Key-value').split(/(?=[A-Z])/);
  return words.map((word) => word.toLowerCase()).join(' ') || className;
}
