import { TopologyError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import { Serdes } from '../../core/serdes.js';
import type { StoreBuilder } from '../../state/state-store.js';
import { Stores } from '../../state/stores.js';
import type { ForeignKeyJoinParts } from '../graph/foreign-key-join-parts.js';
import type { NodeId } from '../graph/graph-node.js';
import type { StreamPartitioner } from '../node-options.js';
import type { ForeignKeyJoinSerdes } from '../joins/fk/fk-serdes.js';
import { foreignTableJoinSupplier } from '../joins/fk/foreign-table-join-processor.js';
import { responseJoinSupplier } from '../joins/fk/response-join-processor.js';
import { subscriptionJoinSupplier } from '../joins/fk/subscription-join-processor.js';
import { subscriptionReceiveSupplier } from '../joins/fk/subscription-receive-processor.js';
import { subscriptionResponseWrapperSerde, type SubscriptionResponseWrapper } from '../joins/fk/subscription-response-wrapper.js';
import { type AnyForeignKeyExtractor, subscriptionSendSupplier } from '../joins/fk/subscription-send-processor.js';
import { subscriptionWrapperSerde } from '../joins/fk/subscription-wrapper.js';
import type { AnyTableJoiner } from '../joins/table-table-join-processors.js';
import { anySerde, type DslContext, type HandleSerdes, storeSpec } from './dsl-context.js';
import type { ForeignKeyJoinOptions } from './dsl-options.js';
import type { JoinedTable } from './table-table-join.js';
import { tableSourceSupplier } from './table-processors.js';
import { isVersionedTable } from './versioned-semantics.js';

/** What one foreign-key join call asks for, untyped for the graph. */
export interface ForeignKeyJoinRequest {
  readonly leftJoin: boolean;
  readonly foreignKey: AnyForeignKeyExtractor;
  readonly joiner: AnyTableJoiner;
  readonly options: ForeignKeyJoinOptions<unknown, unknown, unknown> | undefined;
}

/**
 * Kafka Streams' `KTableImpl.doJoinOnForeignKey`: adds the join node (parents: this table, the foreign table) and
 * returns the result table's node and serdes, keyed like this table.
 */
export function addForeignKeyJoin(
  context: DslContext,
  thisTable: JoinedTable<unknown, unknown>,
  foreignTable: JoinedTable<unknown, unknown>,
  request: ForeignKeyJoinRequest,
): { node: NodeId; serdes: HandleSerdes<unknown, unknown> } {
  const { options, leftJoin } = request;
  const operation = leftJoin ? 'leftJoin' : 'join';
  const serdes = {
    primaryKeySerde: requireTableSerde(thisTable.serdes.keySerde, operation, 'this table', 'key'),
    primaryValueSerde: requireTableSerde(thisTable.serdes.valueSerde, operation, 'this table', 'value'),
    foreignKeySerde: requireTableSerde(foreignTable.serdes.keySerde, operation, 'the other table', 'key'),
    foreignValueSerde: requireTableSerde(foreignTable.serdes.valueSerde, operation, 'the other table', 'value'),
  };
  const keySerde = options?.keySerde ?? serdes.primaryKeySerde;
  const versioned = { this: isVersionedTable(context, thisTable.node), foreign: isVersionedTable(context, foreignTable.node) };
  const node = context.addNode((id) => ({
    kind: 'foreign-key-join',
    id,
    parents: [thisTable.node, foreignTable.node],
    userName: options?.name,
    readsTables: [thisTable.node, foreignTable.node],
    store: storeSpec(options, anySerde(keySerde), anySerde(options?.valueSerde)),
    parts: (binding, names): ForeignKeyJoinParts => {
      const all: ForeignKeyJoinSerdes = { ...serdes, subscriptionTopic: names.subscriptionTopic };
      const [thisGetter, foreignGetter] = binding.valueGetters;
      const subscriptions = subscriptionWrapperSerde(serdes.primaryKeySerde) as Serde<unknown>;
      const responses = subscriptionResponseWrapperSerde(serdes.foreignValueSerde) as Serde<unknown>;
      return {
        send: subscriptionSendSupplier({ serdes: all, foreignKey: request.foreignKey, leftJoin, versionedSemantics: versioned.this }),
        subscriptionSink: { keySerde: serdes.foreignKeySerde, valueSerde: subscriptions, partitioner: subscriptionPartitioner(options?.otherPartitioner) },
        subscriptionSource: { keySerde: serdes.foreignKeySerde, valueSerde: subscriptions },
        subscriptionStore: subscriptionStoreBuilder(names.subscriptionStore, subscriptions),
        receive: subscriptionReceiveSupplier(all, names.subscriptionStore),
        joinForeign: subscriptionJoinSupplier(foreignGetter!),
        foreignJoin: foreignTableJoinSupplier(all, names.subscriptionStore, versioned.foreign),
        responseSink: { keySerde: serdes.primaryKeySerde, valueSerde: responses, partitioner: responsePartitioner(options?.partitioner) },
        responseSource: { keySerde: serdes.primaryKeySerde, valueSerde: responses },
        resolve: responseJoinSupplier(all, thisGetter!, request.joiner, leftJoin),
        result: tableSourceSupplier()(binding),
      };
    },
  }));
  return { node, serdes: { keySerde, valueSerde: options?.valueSerde } };
}

/**
 * The processors hash, compare and store serialized keys and values, and unlike sources and sinks cannot fall back to
 * the application's default serdes (only the runtime knows those), so the tables' serdes must be known at the call.
 */
function requireTableSerde(serde: Serde<unknown> | undefined, operation: string, table: string, part: 'key' | 'value'): Serde<unknown> {
  if (serde !== undefined) return serde;
  throw new TopologyError(
    `KTable.${operation}(other, foreignKey, joiner) needs the ${part} serde of ${table}, which the DSL cannot infer ` +
      `(the ${part} type changed upstream, or no serde was given): pass ${part}Serde to builder.table() or to the ` +
      `operation that made the table`,
  );
}

/** Kafka Streams' `SubscriptionStoreFactory`: persistent, change-logged, never cached. */
function subscriptionStoreBuilder(storeName: string, subscriptions: Serde<unknown>): StoreBuilder {
  return Stores.timestampedKeyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.ByteArray(), subscriptions)
    .withCachingDisabled()
    .withLoggingEnabled({});
}

/** Subscriptions go to the foreign key's partition: by the other table's partitioner when given, else by default. */
function subscriptionPartitioner(otherPartitioner: StreamPartitioner<unknown, null> | undefined): StreamPartitioner | undefined {
  if (otherPartitioner === undefined) return undefined;
  return (topic, key, _subscription, partitions) => otherPartitioner(topic, key, null, partitions);
}

/** Responses go back to the partition the subscribing row was read from, or where this table's partitioner says. */
function responsePartitioner(partitioner: StreamPartitioner<unknown, null> | undefined): StreamPartitioner {
  if (partitioner !== undefined) return (topic, key, _response, partitions) => partitioner(topic, key, null, partitions);
  return (_topic, _key, response) => (response as SubscriptionResponseWrapper<unknown>).primaryPartition ?? undefined;
}
