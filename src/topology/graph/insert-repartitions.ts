import type { DslNode, GraphNode, InsertedRepartitionNode, NodeId } from './graph-node.js';
import { cogroupRepartitionPriority } from './cogroup-build-priority.js';
import type { NodeNames } from './name-nodes.js';

/** The graph after the repartition pass, with Kafka Streams' build priority of every node. */
export interface PlannedGraph {
  /** DSL nodes (stateful ones re-parented onto their repartition topic) followed by the inserted nodes. */
  readonly nodes: readonly GraphNode[];
  /**
   * Kafka Streams' `buildPriority`: the order nodes were attached to the graph, which orders the writing of the
   * topology. An inserted repartition node sits just before the stateful node that asked for it; when a named
   * grouping shares one between several aggregations, each re-attachment moves it later, as in Kafka Streams.
   */
  readonly priorities: ReadonlyMap<NodeId, number>;
}

/**
 * The repartition pass: puts a repartition topic (a null-key filter, a sink and a source) between each stateful
 * node and the key-changing operation upstream of it, using the names the naming pass reserved. Aggregations of
 * one named grouping share a single repartition topic, as Kafka Streams does.
 */
export function insertRepartitions(dslNodes: readonly DslNode[], names: ReadonlyMap<NodeId, NodeNames>): PlannedGraph {
  const nodes: GraphNode[] = [];
  const inserted: InsertedRepartitionNode[] = [];
  const priorities = new Map<NodeId, number>();
  const shared = new Map<unknown, InsertedRepartitionNode>();
  for (const node of dslNodes) {
    priorities.set(node.id, node.id);
    const repartition = names.get(node.id)?.repartition;
    if (repartition === undefined || node.kind === 'repartition') {
      nodes.push(node);
      continue;
    }
    const sharingKey = sharingKeyOf(node, repartition.topic);
    let topicNode = sharingKey === undefined ? undefined : shared.get(sharingKey);
    const reused = topicNode !== undefined;
    if (topicNode === undefined) {
      const serdes = repartitionSerdes(node);
      topicNode = { kind: 'inserted-repartition', id: dslNodes.length + inserted.length, parents: node.parents, names: repartition, ...serdes };
      inserted.push(topicNode);
      if (sharingKey !== undefined) shared.set(sharingKey, topicNode);
      if (node.kind === 'cogroup-aggregate') priorities.set(topicNode.id, cogroupRepartitionPriority(node));
    }
    // Kafka Streams attaches the repartition node right before the stateful node, so it gets the priority in between;
    // a join reusing a stream's repartition node leaves it where it was attached.
    if (node.kind !== 'cogroup-aggregate' && !(reused && (node.kind === 'join-window' || node.kind === 'stream-table-join'))) {
      priorities.set(topicNode.id, node.id - 0.5);
    }
    nodes.push({ ...node, parents: [topicNode.id] });
  }
  return { nodes: [...nodes, ...inserted], priorities };
}

/**
 * Only named groupings share their repartition topic; unnamed ones get one topic per aggregation. Joins share a
 * stream's repartition topic when they name it alike (`KStreamImpl.repartitionForJoin` reuses the stream's node):
 * the two sides of an unnamed self-join, or several unnamed joins of one stream, stream-stream and stream-table alike.
 */
function sharingKeyOf(node: DslNode, topic: string): unknown {
  if (node.kind === 'join-window' || node.kind === 'stream-table-join') return `join-window:${node.parents[0]}:${topic}`;
  if (node.kind === 'cogroup-aggregate') return node.cogroup.inputs[node.inputIndex]!.repartitionKey;
  if (node.kind !== 'stream-aggregate' && node.kind !== 'table-aggregate') return undefined;
  return node.grouping.name === undefined ? undefined : node.grouping;
}

function repartitionSerdes(node: DslNode): Pick<InsertedRepartitionNode, 'keySerde' | 'valueSerde'> {
  switch (node.kind) {
    case 'stream-aggregate':
      return { keySerde: node.grouping.keySerde, valueSerde: node.grouping.valueSerde };
    case 'to-table':
      return { keySerde: node.keySerde, valueSerde: node.valueSerde };
    case 'table-aggregate':
      return { keySerde: node.grouping.keySerde, valueSerde: node.repartitionValueSerde };
    case 'cogroup-aggregate': {
      const { grouping } = node.cogroup.inputs[node.inputIndex]!;
      return { keySerde: grouping.keySerde, valueSerde: grouping.valueSerde };
    }
    case 'join-window':
    case 'stream-table-join':
      return { keySerde: node.keySerde, valueSerde: node.valueSerde };
    default:
      return { keySerde: undefined, valueSerde: undefined };
  }
}
