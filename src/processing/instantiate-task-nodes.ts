import { ConfigError, StreamsError } from '../core/errors.js';
import type { Processor } from '../core/processor.js';
import type { Serde } from '../core/serde.js';
import { prefixInternalTopic, type NodeSpec, type SubtopologySpec } from '../topology/compiled-topology.js';
import { ProcessorNodeContext } from './processor-node-context.js';
import { ProcessorTaskNode } from './processor-task-node.js';
import { SinkTaskNode } from './sink-task-node.js';
import { SourceTaskNode } from './source-task-node.js';
import type { TaskEngineConfig } from './task-engine-config.js';
import type { TaskEnvironment } from './task-environment.js';
import type { TaskNode } from './task-node.js';

export interface TaskNodes {
  /** Source node by full topic name (internal topics prefixed with the application id). */
  readonly sourcesByTopic: ReadonlyMap<string, SourceTaskNode>;
  /** Processors in topology order, parents before children. */
  readonly processors: readonly ProcessorTaskNode[];
  readonly processorsByName: ReadonlyMap<string, ProcessorTaskNode>;
}

/**
 * Builds fresh node instances for one task from the sub-topology's suppliers and wires them: children in the
 * order they were added to the topology, each node with a context bound to it.
 */
export function instantiateTaskNodes(subtopology: SubtopologySpec, environment: TaskEnvironment, config: TaskEngineConfig): TaskNodes {
  const nodes = new Map<string, TaskNode>();
  const sourcesByTopic = new Map<string, SourceTaskNode>();
  const processors: ProcessorTaskNode[] = [];
  for (const spec of subtopology.nodes) {
    const node = createNode(spec, environment, config);
    nodes.set(spec.name, node);
    if (node instanceof ProcessorTaskNode) processors.push(node);
    if (node instanceof SourceTaskNode && spec.kind === 'source') {
      for (const topic of spec.topics) sourcesByTopic.set(fullTopicName(environment, topic, spec.options.internal), node);
    }
  }
  for (const spec of subtopology.nodes) {
    if (spec.kind === 'source') continue;
    for (const parentName of spec.parents) childrenOf(nodes.get(parentName)!).push(nodes.get(spec.name)!);
  }
  for (const spec of subtopology.nodes) {
    const node = nodes.get(spec.name)!;
    if (node instanceof SourceTaskNode) node.context = new ProcessorNodeContext(environment, spec.name, node.children, []);
    if (node instanceof ProcessorTaskNode && spec.kind === 'processor') {
      node.context = new ProcessorNodeContext(environment, spec.name, node.children, spec.stores);
    }
  }
  return { sourcesByTopic, processors, processorsByName: new Map(processors.map((p) => [p.name, p])) };
}

function createNode(spec: NodeSpec, environment: TaskEnvironment, config: TaskEngineConfig): TaskNode {
  switch (spec.kind) {
    case 'source':
      return new SourceTaskNode(spec.name, environment, {
        keySerde: serdeFor(spec, 'key', spec.options.keySerde, config),
        valueSerde: serdeFor(spec, 'value', spec.options.valueSerde, config),
        timestampExtractor: spec.options.timestampExtractor ?? config.defaultTimestampExtractor,
        invalidTimestampPolicy: config.invalidTimestampPolicy ?? 'fail',
        deserializationExceptionHandler: config.deserializationExceptionHandler ?? 'fail',
      });
    case 'processor':
      return new ProcessorTaskNode(spec.name, environment, spec.supplier() as Processor<unknown, unknown, unknown, unknown>);
    case 'sink':
      return new SinkTaskNode(spec.name, environment, {
        topic: typeof spec.topic === 'string' ? fullTopicName(environment, spec.topic, spec.options.internal) : spec.topic,
        keySerde: serdeFor(spec, 'key', spec.options.keySerde, config),
        valueSerde: serdeFor(spec, 'value', spec.options.valueSerde, config),
        partitioner: spec.options.partitioner,
      });
  }
}

function childrenOf(node: TaskNode): TaskNode[] {
  if (node instanceof SourceTaskNode || node instanceof ProcessorTaskNode) return node.children;
  throw new StreamsError('ILLEGAL_STATE', `node ${node.name} cannot have children`);
}

function fullTopicName(environment: TaskEnvironment, topic: string, internal: boolean | undefined): string {
  return internal === true ? prefixInternalTopic(environment.applicationId, topic) : topic;
}

function serdeFor(spec: NodeSpec, part: 'key' | 'value', own: Serde<unknown> | undefined, config: TaskEngineConfig): Serde<unknown> {
  const fallback = part === 'key' ? config.defaultKeySerde : config.defaultValueSerde;
  const serde = own ?? fallback;
  if (serde === undefined) {
    const setting = part === 'key' ? 'defaultKeySerde' : 'defaultValueSerde';
    throw new ConfigError(setting, `${spec.kind} node ${spec.name} has no ${part} serde and no ${setting} is configured`);
  }
  return serde;
}
