import type { ActiveTask } from './active-task.js';

interface InFlight {
  readonly task: ActiveTask;
  readonly done: Promise<void>;
  settled: boolean;
  failure?: { error: unknown };
}

/**
 * The early send of one task's buffered output (before its commit) while the thread goes on processing, as Kafka's
 * producer sends from a thread of its own: waiting for each send's acknowledgement kept a quarter of the loop's time
 * idle. One send at a time per thread, so that one producer never has two sends of the thread in flight (kafkajs'
 * idempotent producer, the per-task transactions and KIP-447's shared one all keep their order that way). A failure
 * is kept until the task manager takes it: it is handled as a failed commit of that task, between two turns of the
 * loop, never inside another close.
 */
export class EarlySend {
  private current: InFlight | undefined;

  /** Whether a send has not finished yet. */
  inFlight(): boolean {
    return this.current !== undefined && !this.current.settled;
  }

  /** Starts `send` for `task`; call only when nothing is in flight and no failure waits to be taken. */
  start(task: ActiveTask, send: () => Promise<void>): void {
    const entry: InFlight = {
      task,
      settled: false,
      done: send().then(
        () => {
          entry.settled = true;
          if (this.current === entry) this.current = undefined;
        },
        (error: unknown) => {
          entry.settled = true;
          entry.failure = { error };
        },
      ),
    };
    this.current = entry;
  }

  /** Waits until the send in flight, if any, has finished; its failure stays to be taken. */
  async settle(): Promise<void> {
    await this.current?.done;
  }

  /** The failure of a finished send, once; `undefined` while it is in flight, or when it succeeded. */
  takeFailure(): { task: ActiveTask; error: unknown } | undefined {
    const entry = this.current;
    if (entry === undefined || !entry.settled || entry.failure === undefined) return undefined;
    this.current = undefined;
    return { task: entry.task, error: entry.failure.error };
  }
}
