/** What one stream thread reports of itself: joining its group, applying an assignment, or running every task. */
export type StreamThreadState = 'starting' | 'rebalancing' | 'running';

/**
 * The client's state made of its threads' states, as Kafka Streams' `KafkaStreams` derives it: the client rebalances
 * while any thread rebalances (or is still starting), and runs once every live thread runs. A dead thread counts for
 * nothing (Kafka Streams' `maybeSetRunning` skips DEAD and PENDING_SHUTDOWN threads); what a death does to the client
 * — replace the thread or shut down — is the uncaught-exception handler's call, not this table's.
 */
export class ThreadStates {
  private readonly states = new Map<number, StreamThreadState>();

  /** Records a thread's new state; returns the client state it implies. */
  set(thread: number, state: StreamThreadState): 'REBALANCING' | 'RUNNING' {
    this.states.set(thread, state);
    return this.clientState();
  }

  /** A thread died or was stopped: it no longer holds the client back. */
  remove(thread: number): 'REBALANCING' | 'RUNNING' {
    this.states.delete(thread);
    return this.clientState();
  }

  /** RUNNING when at least one thread lives and all of them run; REBALANCING otherwise. */
  clientState(): 'REBALANCING' | 'RUNNING' {
    if (this.states.size === 0) return 'REBALANCING';
    for (const state of this.states.values()) if (state !== 'running') return 'REBALANCING';
    return 'RUNNING';
  }
}
