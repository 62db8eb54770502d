import { describeError, ProcessingError } from '../core/errors.js';
import { Headers } from '../core/headers.js';
import type { Processor, ProcessorContext, Punctuator } from '../core/processor.js';
import type { Record } from '../core/record.js';
import type { ProcessorNodeContext } from './processor-node-context.js';
import type { TaskEnvironment } from './task-environment.js';
import type { TaskNode } from './task-node.js';

type AnyProcessor = Processor<unknown, unknown, unknown, unknown>;

/** Runs one user processor; an error it throws goes through the task's processing-error policy. */
export class ProcessorTaskNode implements TaskNode {
  readonly children: TaskNode[] = [];
  context!: ProcessorNodeContext;

  constructor(
    readonly name: string,
    private readonly environment: TaskEnvironment,
    private readonly processor: AnyProcessor,
  ) {}

  init(): void {
    try {
      this.processor.init?.(this.context as ProcessorContext<unknown, unknown>);
    } catch (error) {
      throw new ProcessingError(`failed to initialize processor ${this.name}: ${describeError(error)}`, {
        cause: error,
        coordinates: { taskId: this.environment.taskId, processor: this.name },
      });
    }
  }

  process(record: Record<unknown, unknown>): void {
    try {
      this.processor.process(record);
    } catch (error) {
      this.environment.handleProcessingError(this.name, error);
    }
  }

  /** Runs a punctuator this node scheduled; punctuation records carry no input coordinates. */
  punctuate(timestampMs: number, punctuator: Punctuator): void {
    const environment = this.environment;
    const previous = environment.recordContext;
    environment.recordContext = { topic: null, partition: null, offset: null, timestamp: timestampMs, headers: Headers.EMPTY };
    try {
      punctuator(timestampMs);
    } catch (error) {
      environment.handleProcessingError(this.name, error);
    } finally {
      environment.recordContext = previous;
    }
  }

  close(): void {
    this.processor.close?.();
  }
}
