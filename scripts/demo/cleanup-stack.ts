import { messageOf } from './with-timeout.js';

/**
 * What the demo must undo, pushed as it acquires things and run in reverse order: the streams app closes before its
 * topics are deleted, and the broker (when the demo started it) stops last. Every step runs even when one fails.
 */
export class CleanupStack {
  private readonly steps: Array<{ what: string; undo: () => Promise<unknown> }> = [];

  push(what: string, undo: () => Promise<unknown>): void {
    this.steps.push({ what, undo });
  }

  /** Runs every step, newest first; returns one message per failed step. */
  async run(): Promise<string[]> {
    const failures: string[] = [];
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      try {
        await step.undo();
      } catch (error) {
        failures.push(`${step.what} failed: ${messageOf(error)}`);
      }
    }
    return failures;
  }
}
