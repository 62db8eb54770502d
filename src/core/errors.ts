/**
 * The fixed list of error codes; callers branch on `code`, never on message text. Each code means one thing, with
 * one policy wherever it is met (docs/runtime.md, "Errors"). The state codes:
 * - `STATE_STORAGE_FAILED`: the storage under a store failed (SQLite I/O, a full disk, a commit SQLite refused).
 *   Not the record's fault, and maybe gone on a retry: the task is rebuilt from its changelog, with backoff, until
 *   the task timeout.
 * - `STATE_CAPACITY_EXCEEDED`: a store refused to grow past a bound the topology set (a strict suppression buffer).
 *   A rebuild replays into the same bound, so it fails the thread.
 * - `STATE_MISUSE`: a store used against its contract (a null key, a closed iterator or store, a bad argument to a
 *   store builder): a programming error, which fails the thread.
 * - `STATE_DIR_LOCKED`: another live instance holds the state directory.
 * - `STATE_DAMAGED`: a task's state file is unreadable, corrupt, or another application's or task's: the runtime
 *   deletes it and restores the task from its changelog.
 * - `STORE_NOT_AVAILABLE`: an interactive query met a store that cannot answer right now (a rebalance, a task
 *   restoring or moving, the group's metadata not read yet): Kafka Streams' `InvalidStateStoreException`. Retry.
 */
export type StreamsErrorCode =
  | 'TOPOLOGY_INVALID'
  | 'CONFIG_INVALID'
  | 'SERDE_FAILED'
  | 'STATE_STORAGE_FAILED'
  | 'STATE_CAPACITY_EXCEEDED'
  | 'STATE_MISUSE'
  | 'STATE_DIR_LOCKED'
  | 'STATE_DAMAGED'
  | 'STORE_NOT_AVAILABLE'
  | 'PROCESSING_FAILED'
  | 'PRODUCTION_FAILED'
  | 'MISSING_SOURCE_TOPIC'
  | 'MISSING_SINK_TOPIC'
  | 'COPARTITIONING_MISMATCH'
  | 'INTERNAL_TOPIC_MISMATCH'
  | 'BROKER_UNAVAILABLE'
  | 'AUTHENTICATION_FAILED'
  | 'ILLEGAL_STATE';

/** Where an error happened; every field is optional because not every error has every coordinate. */
export interface ErrorCoordinates {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
  readonly taskId?: string;
  readonly store?: string;
  readonly processor?: string;
}

export class StreamsError extends Error {
  readonly code: StreamsErrorCode;
  readonly coordinates: ErrorCoordinates;
  /** The message without its coordinates, for re-raising the error with more of them. */
  protected readonly summary: string;

  constructor(code: StreamsErrorCode, message: string, options: { cause?: unknown; coordinates?: ErrorCoordinates } = {}) {
    const where = describeCoordinates(options.coordinates ?? {});
    super(where ? `${message} (${where})` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.coordinates = options.coordinates ?? {};
    this.summary = message;
  }
}

export class TopologyError extends StreamsError {
  constructor(message: string, options: { cause?: unknown; coordinates?: ErrorCoordinates } = {}) {
    super('TOPOLOGY_INVALID', message, options);
  }
}

export class ConfigError extends StreamsError {
  constructor(readonly key: string, message: string) {
    super('CONFIG_INVALID', `config "${key}": ${message}`);
  }
}

export class SerdeError extends StreamsError {
  /** The Schema Registry id of the schema involved, when a registry serde failed (an unknown or unreadable id). */
  readonly schemaId: number | undefined;

  constructor(message: string, options: { cause?: unknown; coordinates?: ErrorCoordinates; schemaId?: number } = {}) {
    super('SERDE_FAILED', message, options);
    this.schemaId = options.schemaId;
  }
}

export type StateErrorCode = 'STATE_STORAGE_FAILED' | 'STATE_CAPACITY_EXCEEDED' | 'STATE_MISUSE' | 'STATE_DIR_LOCKED' | 'STATE_DAMAGED';

/** A failure of a state store or of the state directory; the code says which kind, and so what follows from it. */
export class StateError extends StreamsError {
  declare readonly code: StateErrorCode;

  constructor(code: StateErrorCode, message: string, options: { cause?: unknown; coordinates?: ErrorCoordinates } = {}) {
    super(code, message, options);
  }

  /**
   * The same failure as seen from where it surfaced (the task, processor and record that met it): a `StateError` of
   * the same code and message whose cause is this one, with `coordinates` added to those it names itself. An error
   * that names its task and processor already is located, and stays itself (its class may carry more fields).
   */
  locatedAt(coordinates: ErrorCoordinates): StateError {
    if (this.coordinates.taskId !== undefined && this.coordinates.processor !== undefined) return this;
    return new StateError(this.code, this.summary, { cause: this, coordinates: { ...coordinates, ...this.coordinates } });
  }
}

export class ProcessingError extends StreamsError {
  constructor(message: string, options: { cause?: unknown; coordinates?: ErrorCoordinates } = {}) {
    super('PROCESSING_FAILED', message, options);
  }
}

/** One line for logs and wrapping messages: `Name: message` for an `Error`, else the thrown value as a string. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function describeCoordinates(c: ErrorCoordinates): string {
  const parts: string[] = [];
  if (c.topic !== undefined) parts.push(`topic=${c.topic}`);
  if (c.partition !== undefined) parts.push(`partition=${c.partition}`);
  if (c.offset !== undefined) parts.push(`offset=${c.offset}`);
  if (c.taskId !== undefined) parts.push(`task=${c.taskId}`);
  if (c.processor !== undefined) parts.push(`processor=${c.processor}`);
  if (c.store !== undefined) parts.push(`store=${c.store}`);
  return parts.join(', ');
}
