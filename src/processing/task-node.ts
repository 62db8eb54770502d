import type { Record } from '../core/record.js';

/** A node of a running task: what a parent forwards records to. */
export interface TaskNode {
  readonly name: string;
  process(record: Record<unknown, unknown>): void;
}
