import { TopologyError } from '../../../core/errors.js';
import type { BufferLogging } from '../../../state/suppression/suppression-buffer-store.js';

/**
 * What a suppression buffer does when a record would take it past its bounds: `emitEarly` forwards its oldest
 * entries until it fits again (fewer duplicates downstream, no guarantee of one result per key), `shutDown` fails
 * the task rather than ever emit before its time.
 */
export type BufferFullStrategy = 'emitEarly' | 'shutDown';

/** A buffer that never emits early: what `Suppressed.untilWindowCloses` requires. */
export type StrictBufferConfig = BufferConfig<'shutDown'>;

/** A buffer that emits its oldest entries when full. */
export type EagerBufferConfig = BufferConfig<'emitEarly'>;

/**
 * Kafka Streams' `Suppressed.BufferConfig`: how many records and bytes a suppression buffer may hold, what happens
 * when it is full, and whether its changelog is kept. Immutable (frozen): every `with…` returns a new config.
 *
 * `maxBytes` counts, per buffered key, the serialized key plus its stored entry: the serialized new and prior
 * values, the record's headers, and a fixed overhead of 29 bytes (format version, buffer time, record timestamp and
 * three length prefixes). An unbounded limit is `Infinity`.
 */
export class BufferConfig<S extends BufferFullStrategy = BufferFullStrategy> {
  private constructor(
    readonly maxRecords: number,
    readonly maxBytes: number,
    readonly bufferFullStrategy: S,
    readonly logging: BufferLogging,
  ) {
    Object.freeze(this);
  }

  /** No bound on records or bytes; the buffer holds whatever the time limit keeps in it. Strict. */
  static unbounded(): StrictBufferConfig {
    return new BufferConfig(Infinity, Infinity, 'shutDown', Object.freeze({}));
  }

  /** At most `recordLimit` keys, emitting the oldest when full (add `.shutDownWhenFull()` for a strict buffer). */
  static maxRecords(recordLimit: number): EagerBufferConfig {
    return new BufferConfig(requireLimit('maxRecords', recordLimit), Infinity, 'emitEarly', Object.freeze({}));
  }

  /** At most `byteLimit` bytes (see the class comment), emitting the oldest when full. */
  static maxBytes(byteLimit: number): EagerBufferConfig {
    return new BufferConfig(Infinity, requireLimit('maxBytes', byteLimit), 'emitEarly', Object.freeze({}));
  }

  withMaxRecords(recordLimit: number): BufferConfig<S> {
    return new BufferConfig(requireLimit('maxRecords', recordLimit), this.maxBytes, this.bufferFullStrategy, this.logging);
  }

  withMaxBytes(byteLimit: number): BufferConfig<S> {
    return new BufferConfig(this.maxRecords, requireLimit('maxBytes', byteLimit), this.bufferFullStrategy, this.logging);
  }

  /** Removes both bounds (the strategy no longer matters, so the result is strict). */
  withNoBound(): StrictBufferConfig {
    return new BufferConfig(Infinity, Infinity, 'shutDown', this.logging);
  }

  /** When full, forward the oldest entries early until the buffer fits its bounds again. */
  emitEarlyWhenFull(): EagerBufferConfig {
    return new BufferConfig(this.maxRecords, this.maxBytes, 'emitEarly', this.logging);
  }

  /** When full, fail the task with a `SuppressionBufferFullError` instead of emitting early. */
  shutDownWhenFull(): StrictBufferConfig {
    return new BufferConfig(this.maxRecords, this.maxBytes, 'shutDown', this.logging);
  }

  /** Keeps no changelog: the buffered records are lost whenever the task restarts or moves. */
  withLoggingDisabled(): BufferConfig<S> {
    return new BufferConfig(this.maxRecords, this.maxBytes, this.bufferFullStrategy, false);
  }

  /** Keeps the changelog (the default), with `config` as extra topic configs. */
  withLoggingEnabled(config: { readonly [key: string]: string } = {}): BufferConfig<S> {
    return new BufferConfig(this.maxRecords, this.maxBytes, this.bufferFullStrategy, Object.freeze({ ...config }));
  }
}

function requireLimit(name: string, limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new TopologyError(`BufferConfig ${name} must be a non-negative integer, got ${String(limit)}`);
  }
  return limit;
}

/** Names become part of the buffer's changelog topic (`<applicationId>-<name>-store-changelog`). */
const LEGAL_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Kafka Streams' `Suppressed`: how `KTable.suppress` holds back updates. Immutable (frozen).
 *
 * - `Suppressed.untilWindowCloses(bufferConfig)`: one final result per window of a windowed table, emitted once
 *   stream time reaches the window's end plus the aggregation's grace period. The buffer must be strict.
 * - `Suppressed.untilTimeLimit(timeToWaitMs, bufferConfig)`: rate limiting: an update waits `timeToWaitMs` of
 *   stream time after the first buffered update of its key; later updates replace it without restarting the wait.
 */
export class Suppressed {
  private constructor(
    /** `true` for final results (`Suppressed.untilWindowCloses`), `false` for a time limit. */
    readonly untilWindowCloses: boolean,
    /** The time limit; `undefined` for final results, which wait for the upstream grace period instead. */
    readonly timeToWaitMs: number | undefined,
    readonly bufferConfig: BufferConfig,
    /** Names the suppress processor, and its buffer store `<name>-store`; generated when absent. */
    readonly name: string | undefined,
  ) {
    Object.freeze(this);
  }

  static untilWindowCloses(bufferConfig: StrictBufferConfig): Suppressed {
    const config = requireBufferConfig(bufferConfig);
    if (config.bufferFullStrategy !== 'shutDown') {
      throw new TopologyError(
        'Suppressed.untilWindowCloses needs a strict buffer (BufferConfig.unbounded() or .shutDownWhenFull()): ' +
          'emitting early would break the promise of one final result per window',
      );
    }
    return new Suppressed(true, undefined, config, undefined);
  }

  static untilTimeLimit(timeToWaitMs: number, bufferConfig: BufferConfig): Suppressed {
    if (!Number.isSafeInteger(timeToWaitMs) || timeToWaitMs < 0) {
      throw new TopologyError(`Suppressed.untilTimeLimit needs a non-negative integer of milliseconds, got ${String(timeToWaitMs)}`);
    }
    return new Suppressed(false, timeToWaitMs, requireBufferConfig(bufferConfig), undefined);
  }

  withName(name: string): Suppressed {
    if (typeof name !== 'string' || !LEGAL_NAME.test(name)) {
      throw new TopologyError(`a suppression name must be 1 to 249 characters of [a-zA-Z0-9._-], got ${JSON.stringify(name)}`);
    }
    return new Suppressed(this.untilWindowCloses, this.timeToWaitMs, this.bufferConfig, name);
  }
}

function requireBufferConfig<B extends BufferConfig>(bufferConfig: B): B {
  if (!(bufferConfig instanceof BufferConfig)) {
    throw new TopologyError('Suppressed needs a BufferConfig (BufferConfig.unbounded(), .maxRecords(n) or .maxBytes(n))');
  }
  return bufferConfig;
}
