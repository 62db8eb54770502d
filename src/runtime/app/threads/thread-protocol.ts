import { StreamsError, type ErrorCoordinates, type StreamsErrorCode } from '../../../core/errors.js';
import type { StreamsConfig } from '../streams-config.js';
import type { ThreadMetricsSnapshot } from '../../metrics/thread-metrics.js';
import type { TaskRuntimeMetrics } from '../streams-metrics.js';
import type { RestoreCall } from './relayed-restore-listener.js';
import type { TopologyModule } from './topology-module.js';

/** What a stream thread's worker is started with (`workerData`): plain data only. */
export interface ThreadWorkerData {
  /** 1-based, as Kafka Streams numbers its `StreamThread-<n>`. */
  readonly thread: number;
  readonly topology: TopologyModule;
  /** The user's config without its logger (the worker logs through the main thread's). */
  readonly config: StreamsConfig;
  readonly clientId: string;
  readonly subtopologyTopics: ReadonlyMap<number, readonly string[]>;
  readonly partitionCounts: ReadonlyMap<string, number>;
  /** The task locks' release counter, shared by every thread of the process. */
  readonly lockSignal: SharedArrayBuffer;
  /** The levels the main thread's logger writes. */
  readonly logLevels: readonly LogLevelName[];
  /** Whether the main thread has a restore listener, which the worker's restorations are then relayed to. */
  readonly relayRestore: boolean;
}

/** A failure crossing from a worker: enough to rebuild a `StreamsError` with its code and coordinates. */
export interface ThreadFailure {
  readonly name: string;
  readonly message: string;
  readonly code: StreamsErrorCode | undefined;
  readonly coordinates: ErrorCoordinates;
  readonly stack: string | undefined;
  /** Whether a task of the thread committed since it started: replacing it is only worth it after progress. */
  readonly committedOnce: boolean;
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** Messages from a worker to the main thread. */
export type WorkerMessage =
  | { readonly type: 'started' }
  | { readonly type: 'state'; readonly state: 'rebalancing' | 'running' }
  /** The tasks that can serve reads (running or suspended), every task's counters and the thread's own. */
  | { readonly type: 'tasks'; readonly queryable: readonly string[]; readonly metrics: ReadonlyMap<string, TaskRuntimeMetrics>; readonly thread: ThreadMetricsSnapshot }
  | { readonly type: 'restore'; readonly call: RestoreCall }
  | { readonly type: 'failed'; readonly failure: ThreadFailure }
  | { readonly type: 'stopped' }
  | { readonly type: 'log'; readonly level: LogLevelName; readonly bindings: readonly object[]; readonly fields: object; readonly message: string };

/** Messages from the main thread to a worker. */
export type MainMessage = { readonly type: 'stop'; readonly clean: boolean };

export function threadFailureOf(error: unknown, committedOnce: boolean): ThreadFailure {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), code: undefined, coordinates: {}, stack: undefined, committedOnce };
  const streams = error instanceof StreamsError ? error : undefined;
  return { name: error.name, message: error.message, code: streams?.code, coordinates: streams?.coordinates ?? {}, stack: error.stack, committedOnce };
}

/**
 * The main thread's error for a worker's failure: the same code and coordinates, the thread named in the message,
 * and the worker's error (name, message, stack) as its cause.
 */
export function errorOfThreadFailure(thread: number, failure: ThreadFailure): StreamsError {
  const cause = Object.assign(new Error(failure.message), { name: failure.name, stack: failure.stack });
  // The worker's message ends with its coordinates already; they are added back from `coordinates`.
  const suffix = new StreamsError('ILLEGAL_STATE', '', { coordinates: failure.coordinates }).message;
  const summary = suffix.length > 0 && failure.message.endsWith(suffix) ? failure.message.slice(0, -suffix.length) : failure.message;
  return new StreamsError(failure.code ?? 'ILLEGAL_STATE', `stream thread ${thread} failed: ${failure.name}: ${summary}`, { cause, coordinates: failure.coordinates });
}
