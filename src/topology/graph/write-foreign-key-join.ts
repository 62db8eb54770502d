import type { Topology } from '../topology.js';
import type { ForeignKeyJoinNode, SupplierBinding } from './graph-node.js';
import type { NodeNames } from './name-nodes.js';
import { materializeStores } from './store-materializer.js';

/**
 * The graph nodes of `KTableImpl.doJoinOnForeignKey`, written in the order Kafka Streams writes them: this table's
 * send processor and the subscription topic; on the foreign side the receive and join-foreign processors and the
 * foreign-join processor under the foreign table, sharing the subscription store, both writing the response topic;
 * then, back on this side, the resolver and the result. Join-foreign looks the foreign table up, the resolver this
 * table. Both topics are internal and keep null keys (a left join's deleted row travels with a null foreign key).
 */
export function writeForeignKeyJoin(
  node: ForeignKeyJoinNode,
  binding: SupplierBinding,
  nodeNames: NodeNames,
  parentOutputs: readonly string[],
  topology: Topology,
): void {
  const names = nodeNames.foreignKeyJoin!;
  const parts = node.parts(binding, names);
  const [thisTable, foreignTable] = binding.valueGetters;
  const connect = (processor: string, storeNames: readonly string[]): void => {
    if (storeNames.length > 0) topology.connectProcessorAndStateStores(processor, ...storeNames);
  };
  topology.addProcessor(names.send, parts.send, parentOutputs[0]!);
  topology.addSink(names.subscriptionSink, names.subscriptionTopic, { ...parts.subscriptionSink, internal: true }, names.send);
  topology.addSource(names.subscriptionSource, names.subscriptionTopic, { ...parts.subscriptionSource, internal: true });
  topology.addProcessor(names.receive, parts.receive, names.subscriptionSource);
  topology.addStateStore(parts.subscriptionStore, names.receive);
  topology.addProcessor(names.joinForeign, parts.joinForeign, names.receive);
  connect(names.joinForeign, foreignTable!.storeNames);
  topology.addProcessor(names.foreignJoin, parts.foreignJoin, parentOutputs[1]!);
  connect(names.foreignJoin, [names.subscriptionStore]);
  topology.addSink(names.responseSink, names.responseTopic, { ...parts.responseSink, internal: true }, names.joinForeign, names.foreignJoin);
  topology.addSource(names.responseSource, names.responseTopic, { ...parts.responseSource, internal: true });
  topology.addProcessor(names.resolver, parts.resolve, names.responseSource);
  connect(names.resolver, thisTable!.storeNames);
  topology.addProcessor(binding.name, parts.result, names.resolver);
  if (binding.storeName === undefined) return;
  for (const builder of materializeStores(node.store, binding.storeName)) topology.addStateStore(builder, binding.name);
}
