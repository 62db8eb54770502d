import type { TransitionTable } from '../state-machine.js';

/** The client's lifecycle, as Kafka Streams' `KafkaStreams.State`. */
export type StreamsState =
  | 'CREATED'
  | 'REBALANCING'
  | 'RUNNING'
  | 'PENDING_SHUTDOWN'
  | 'NOT_RUNNING'
  | 'PENDING_ERROR'
  | 'ERROR';

/**
 * Kafka Streams' table: `start()` moves to REBALANCING, the client runs once it holds its tasks and rebalances
 * again whenever the group does; it ends in NOT_RUNNING (closed) or, after a fatal error, in ERROR, where its
 * resources are already released (closing it then changes nothing).
 */
export const STREAMS_STATE_TRANSITIONS: TransitionTable<StreamsState> = {
  CREATED: ['REBALANCING', 'PENDING_SHUTDOWN'],
  REBALANCING: ['RUNNING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  RUNNING: ['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  PENDING_ERROR: ['ERROR'],
  ERROR: [],
};

export type StateListener = (newState: StreamsState, oldState: StreamsState) => void;

/** Every state, in the order of the table. */
export const STREAMS_STATES = Object.keys(STREAMS_STATE_TRANSITIONS) as readonly StreamsState[];
