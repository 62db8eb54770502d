import { listValueStoreBuilder } from '../../state/list-value-store.js';
import type { StoreBuilder } from '../../state/state-store.js';
import { Stores } from '../../state/stores.js';
import { JoinTimeTrackers } from '../joins/join-time-tracker.js';
import { streamStreamJoinSupplier, type JoinSideSettings } from '../joins/stream-stream-join-processor.js';
import type { Topology } from '../topology.js';
import { passThrough } from './forwarding-processors.js';
import type { StreamJoinSpec, StreamStreamJoinNode } from './graph-node.js';
import type { StreamJoinNames } from './name-stream-joins.js';
import { requireSerde } from './store-materializer.js';

/**
 * `StreamStreamJoinNode.writeToTopology`: the join processor of each side under its windowed processor, their
 * merge, then the stores: each side's window store goes to its windowed processor and to the *other* side's join
 * processor, and the shared store of a left or outer join to both join processors.
 */
export function writeStreamStreamJoin(node: StreamStreamJoinNode, names: StreamJoinNames, topology: Topology): void {
  const { join } = node;
  const trackers = new JoinTimeTrackers();
  const common = {
    beforeMs: join.beforeMs,
    afterMs: join.afterMs,
    graceMs: join.graceMs,
    joiner: (left: unknown, right: unknown, key: unknown) => join.joiner(left, right, key),
    trackers,
    sharedStoreName: names.sharedStore,
    keySerde: join.thisKeySerde,
    leftValueSerde: join.thisValueSerde,
    rightValueSerde: join.otherValueSerde,
  };
  const thisSide: JoinSideSettings = {
    ...common,
    isLeftSide: true,
    outer: join.joinType !== 'inner',
    otherStoreName: names.otherStore,
    lookBackMs: join.beforeMs,
    lookAheadMs: join.afterMs,
  };
  const otherSide: JoinSideSettings = {
    ...common,
    isLeftSide: false,
    outer: join.joinType === 'outer',
    otherStoreName: names.thisStore,
    lookBackMs: join.afterMs,
    lookAheadMs: join.beforeMs,
  };
  topology.addProcessor(names.thisJoin, streamStreamJoinSupplier(thisSide), names.thisWindowed);
  topology.addProcessor(names.otherJoin, streamStreamJoinSupplier(otherSide), names.otherWindowed);
  topology.addProcessor(names.merge, passThrough, names.thisJoin, names.otherJoin);
  topology.addStateStore(windowStore(join, names.thisStore, 'this'), names.thisWindowed, names.otherJoin);
  topology.addStateStore(windowStore(join, names.otherStore, 'other'), names.otherWindowed, names.thisJoin);
  if (names.sharedStore !== undefined) topology.addStateStore(sharedStore(join, names.sharedStore), names.thisJoin, names.otherJoin);
}

/**
 * A side's window store (`StreamJoinedStoreFactory`): it retains duplicates, its window size is `before + after`
 * and it keeps records `size + grace`; its changelog is deleted by time only, never compacted, since its keys are
 * unique anyway.
 */
function windowStore(join: StreamJoinSpec, name: string, side: 'this' | 'other'): StoreBuilder {
  const sizeMs = join.beforeMs + join.afterMs;
  const retentionMs = sizeMs + join.graceMs;
  const supplier =
    join.storeType === 'in-memory'
      ? Stores.inMemoryWindowStore(name, retentionMs, sizeMs, true)
      : Stores.persistentWindowStore(name, retentionMs, sizeMs, true);
  const keySerde = requireSerde(side === 'this' ? join.thisKeySerde : join.otherKeySerde, 'key', name);
  const valueSerde = requireSerde(side === 'this' ? join.thisValueSerde : join.otherValueSerde, 'value', name);
  const builder = Stores.windowStoreBuilder(supplier, keySerde, valueSerde);
  if (join.logging === false) return builder.withLoggingDisabled();
  return builder.withLoggingEnabled({ ...(join.logging === true ? {} : join.logging), 'cleanup.policy': 'delete' });
}

/** The shared store of records without a partner yet (`OuterStreamJoinStoreFactory`): compacted unless configured. */
function sharedStore(join: StreamJoinSpec, name: string): StoreBuilder {
  requireSerde(join.thisKeySerde, 'key', name);
  requireSerde(join.thisValueSerde, 'value', name);
  requireSerde(join.otherValueSerde, 'value', name);
  const supplier = join.storeType === 'in-memory' ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
  const builder = listValueStoreBuilder(supplier);
  if (join.logging === false) return builder.withLoggingDisabled();
  return builder.withLoggingEnabled(join.logging === true ? {} : { ...join.logging });
}
