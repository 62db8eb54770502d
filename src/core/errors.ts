/** The fixed list of error codes; callers branch on `code`, never on message text. */
export type StreamsErrorCode =
  | 'TOPOLOGY_INVALID'
  | 'CONFIG_INVALID'
  | 'SERDE_FAILED'
  | 'STATE_FAILED'
  | 'STATE_DIR_LOCKED'
  | 'PROCESSING_FAILED'
  | 'PRODUCTION_FAILED'
  | 'MISSING_SOURCE_TOPIC'
  | 'MISSING_SINK_TOPIC'
  | 'COPARTITIONING_MISMATCH'
  | 'BROKER_UNAVAILABLE'
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

  constructor(code: StreamsErrorCode, message: string, options: { cause?: unknown; coordinates?: ErrorCoordinates } = {}) {
    const where = describeCoordinates(options.coordinates ?? {});
    super(where ? `${message} (${where})` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.coordinates = options.coordinates ?? {};
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
  constructor(message: string, options: { cause?: unknown; coordinates?: ErrorCoordinates } = {}) {
    super('SERDE_FAILED', message, options);
  }
}

export class StateError extends StreamsError {
  constructor(message: string, options: { cause?: unknown; coordinates?: ErrorCoordinates; code?: 'STATE_FAILED' | 'STATE_DIR_LOCKED' } = {}) {
    super(options.code ?? 'STATE_FAILED', message, options);
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
