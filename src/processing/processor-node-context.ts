import { StreamsError, TopologyError } from '../core/errors.js';
import type { Cancellable, DroppedRecordReason, ProcessorContext, ProcessorStateStore, PunctuationType, Punctuator } from '../core/processor.js';
import type { Record, RecordMetadata } from '../core/record.js';
import type { TaskEnvironment } from './task-environment.js';
import type { DropReason } from './task-metrics.js';
import type { TaskNode } from './task-node.js';

/** The task counter of each reason a processor may give for dropping a record. */
const DROP_COUNTERS: { readonly [reason in DroppedRecordReason]: DropReason } = {
  nullKey: 'nullKeys',
  nullValue: 'nullValues',
  lateRecord: 'lateRecords',
  staleRecord: 'staleRecords',
};

/**
 * The context of one node of one task. Bound to its node (not to "the node currently running"), so `forward`
 * reaches this node's children wherever it is called from: `process`, a punctuator, or a store's flush listener
 * during commit.
 */
export class ProcessorNodeContext implements ProcessorContext<unknown, unknown> {
  constructor(
    private readonly environment: TaskEnvironment,
    private readonly nodeName: string,
    private readonly children: readonly TaskNode[],
    private readonly storeNames: readonly string[],
  ) {}

  get applicationId(): string {
    return this.environment.applicationId;
  }

  get taskId(): string {
    return this.environment.taskId;
  }

  forward<K, V>(record: Record<K, V>, childName?: string): void {
    const environment = this.environment;
    const previous = environment.recordContext;
    if (previous !== null && previous.timestamp === record.timestamp && previous.headers === record.headers) {
      // The usual case: the record keeps the timestamp and headers of the one being handled, so the children
      // see the same context, and it need not be copied.
      this.deliver(record, childName);
      return;
    }
    environment.recordContext = {
      topic: previous?.topic ?? null,
      partition: previous?.partition ?? null,
      offset: previous?.offset ?? null,
      timestamp: record.timestamp,
      headers: record.headers,
    };
    try {
      this.deliver(record, childName);
    } finally {
      environment.recordContext = previous;
    }
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    return this.environment.schedule(this.nodeName, intervalMs, type, punctuator);
  }

  getStateStore<S extends ProcessorStateStore>(name: string): S {
    // As Kafka Streams' `ProcessorContextImpl.getStateStore`: a global store needs no connection.
    const global = this.environment.globalStores.get(name);
    if (global !== undefined) return global as unknown as S;
    if (!this.storeNames.includes(name)) {
      throw new TopologyError(
        `Processor ${this.nodeName} has no access to state store ${name}: connect it with addStateStore(builder, '${this.nodeName}') or connectProcessorAndStateStores`,
        { coordinates: { processor: this.nodeName, store: name, taskId: this.taskId } },
      );
    }
    const store = this.environment.stores.get(name);
    if (store === undefined) {
      throw new StreamsError('ILLEGAL_STATE', `State store ${name} is not open`, { coordinates: { processor: this.nodeName, store: name } });
    }
    return store as unknown as S;
  }

  recordMetadata(): RecordMetadata | null {
    const context = this.environment.recordContext;
    if (context === null || context.topic === null || context.partition === null || context.offset === null) return null;
    return { topic: context.topic, partition: context.partition, offset: context.offset };
  }

  get outerJoinEmitIntervalMs(): number | undefined {
    return this.environment.outerJoinEmitIntervalMs;
  }

  currentStreamTimeMs(): number {
    return this.environment.streamTimeMs();
  }

  currentSystemTimeMs(): number {
    return this.environment.wallClockMs();
  }

  commit(): void {
    this.environment.commitRequested = true;
  }

  recordDropped(reason: DroppedRecordReason): void {
    const environment = this.environment;
    environment.metrics.recordDropped(DROP_COUNTERS[reason]);
    const coordinates = environment.coordinates(this.nodeName);
    environment.logger.debug({ ...coordinates, reason }, 'processor dropped a record');
    environment.dropWarnings.note(reason, coordinates);
    if (reason === 'lateRecord') environment.copyLateRecord(this.nodeName);
  }

  private deliver(record: Record<unknown, unknown>, childName: string | undefined): void {
    if (childName !== undefined) {
      this.child(childName).process(record);
      return;
    }
    const children = this.children;
    for (let i = 0; i < children.length; i++) children[i]!.process(record);
  }

  private child(childName: string): TaskNode {
    const child = this.children.find((node) => node.name === childName);
    if (child === undefined) {
      throw new TopologyError(`Unknown downstream node: ${childName} is not a child of ${this.nodeName}`, {
        coordinates: { processor: this.nodeName, taskId: this.taskId },
      });
    }
    return child;
  }
}
