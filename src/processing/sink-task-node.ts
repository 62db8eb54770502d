import { ProcessingError } from '../core/errors.js';
import type { Record } from '../core/record.js';
import type { Serde } from '../core/serde.js';
import type { StreamPartitioner, TopicNameExtractor } from '../topology/node-options.js';
import type { TaskEnvironment } from './task-environment.js';
import type { TaskNode } from './task-node.js';

export interface SinkNodeSettings {
  /** A full topic name (internal topics already prefixed) or an extractor choosing one per record. */
  readonly topic: string | TopicNameExtractor;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly partitioner: StreamPartitioner | undefined;
}

/** Serializes what its parents forward and hands it to the task's record collector. */
export class SinkTaskNode implements TaskNode {
  constructor(
    readonly name: string,
    private readonly environment: TaskEnvironment,
    private readonly settings: SinkNodeSettings,
  ) {}

  process(record: Record<unknown, unknown>): void {
    try {
      this.send(record);
    } catch (error) {
      this.environment.handleProcessingError(this.name, error);
    }
  }

  private send(record: Record<unknown, unknown>): void {
    if (record.timestamp < 0) {
      throw new ProcessingError(`sink ${this.name} got a record with negative timestamp ${record.timestamp}`, {
        coordinates: this.environment.coordinates(this.name),
      });
    }
    const { keySerde, valueSerde, partitioner } = this.settings;
    const topic = this.topicFor(record);
    const key = keySerde.serialize(topic, record.key, record.headers);
    const value = valueSerde.serialize(topic, record.value, record.headers);
    const { recordCollector: collector, currentInput } = this.environment;
    const partition = partitioner?.(topic, record.key, record.value, collector.partitionCount(topic));
    const { headers, timestamp } = record;
    const input = currentInput ?? undefined;
    if (partition === undefined) collector.send({ topic, key, value, headers, timestamp, input, sink: this.name });
    else collector.send({ topic, partition, key, value, headers, timestamp, input, sink: this.name });
  }

  private topicFor(record: Record<unknown, unknown>): string {
    const { topic } = this.settings;
    if (typeof topic === 'string') return topic;
    const context = this.environment.recordContext;
    return topic(record.key, record.value, {
      topic: context?.topic ?? null,
      partition: context?.partition ?? null,
      offset: context?.offset ?? null,
      timestamp: record.timestamp,
      headers: record.headers,
    });
  }
}
