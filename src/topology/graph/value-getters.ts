import { TopologyError } from '../../core/errors.js';
import type { ProcessorContext } from '../../core/processor.js';
import type { TimestampedKeyValueStore } from '../../state/timestamped-key-value-store.js';
import { isVersionedKeyValueStore, type VersionedKeyValueStore } from '../../state/versioned-key-value-store.js';
import { versionedLookup } from './versioned-lookup.js';
import type { GraphNode, NodeId } from './graph-node.js';
import type { NodeNames } from './name-nodes.js';
import type { TableNodeState } from './resolve-old-values.js';
import type { TableValueGetter, TableValueGetterSupplier } from './table-value-getter.js';

/**
 * The getter of a KTable node (Kafka Streams' `KTableImpl.valueGetterSupplier`): its own store when it keeps one,
 * otherwise its view over its parents' getters. The old-values pass has already materialized every table source
 * a getter reaches, so a table can always be looked up unless a node on the way has neither store nor view.
 */
export function valueGetterSupplierOf(
  id: NodeId,
  nodes: ReadonlyMap<NodeId, GraphNode>,
  names: ReadonlyMap<NodeId, NodeNames>,
  tableStates: ReadonlyMap<NodeId, TableNodeState>,
): TableValueGetterSupplier<unknown, unknown> {
  const node = nodes.get(id)!;
  const name = names.get(id)?.name ?? String(id);
  if (node.kind === 'table-suppress') {
    // Kafka Streams looks into the suppression buffer first; our buffer has no point lookup for that yet.
    throw new TopologyError(`KTable ${name} is suppressed and cannot be looked up by a join yet`, { coordinates: { processor: name } });
  }
  const storeName = names.get(id)?.storeName;
  // A global store is not connected to the processors reading it: every task reaches it by name.
  if (node.kind === 'global-table-source') return storeGetterSupplier(storeName!, []);
  if (tableStates.get(id)?.materialized === true && storeName !== undefined) return storeGetterSupplier(storeName, [storeName]);
  if (node.kind === 'inserted-repartition' || node.view === undefined) {
    throw new TopologyError(`KTable ${name} keeps no store and cannot be looked up by a join; materialize it with a storeName`, {
      coordinates: { processor: name },
    });
  }
  return node.view(node.parents.map((parent) => valueGetterSupplierOf(parent, nodes, names, tableStates)));
}

/**
 * Reads the table's own store: a timestamped store through its cache, so it sees the latest write, or a versioned
 * store (found at `init`), which answers as of a timestamp. `storeNames` are those the compiler connects.
 */
function storeGetterSupplier(storeName: string, storeNames: readonly string[]): TableValueGetterSupplier<unknown, unknown> {
  return {
    storeNames,
    get: (): TableValueGetter<unknown, unknown> => {
      let store: TimestampedKeyValueStore<unknown, unknown> | undefined;
      let versioned: VersionedKeyValueStore<unknown, unknown> | undefined;
      return {
        init: (context: ProcessorContext<unknown, unknown>) => {
          const opened = context.getStateStore<TimestampedKeyValueStore<unknown, unknown>>(storeName);
          if (isVersionedKeyValueStore(opened)) versioned = opened;
          else store = opened;
        },
        get: (key, asOfTimestamp) => (versioned === undefined ? store!.get(key) : versionedLookup(versioned, key, asOfTimestamp)),
        isVersioned: () => versioned !== undefined,
      };
    },
  };
}

/** A getter that passes each parent value through `derive`, as filtered and mapped tables look values up. */
export function derivedGetterSupplier<K, VIn, VOut>(
  parent: TableValueGetterSupplier<K, VIn>,
  derive: (key: K, value: VIn) => VOut | null,
): TableValueGetterSupplier<K, VOut> {
  return {
    storeNames: parent.storeNames,
    get: () => {
      const inner = parent.get();
      return {
        init: (context) => inner.init(context),
        get: (key, asOfTimestamp) => {
          const found = inner.get(key, asOfTimestamp);
          if (found === null) return null;
          const value = derive(key, found.value);
          return value === null ? null : { value, timestamp: found.timestamp };
        },
        isVersioned: () => inner.isVersioned(),
      };
    },
  };
}
