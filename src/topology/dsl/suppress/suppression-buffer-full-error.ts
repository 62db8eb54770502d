import { StateError, type ErrorCoordinates } from '../../../core/errors.js';

/** How full a suppression buffer is, against its bounds (`Infinity` = unbounded). */
export interface BufferUsage {
  readonly records: number;
  readonly maxRecords: number;
  readonly bytes: number;
  readonly maxBytes: number;
}

/**
 * A strict suppression buffer (`shutDownWhenFull()`, or `untilWindowCloses`) could not hold an update without
 * emitting early, so the task fails instead (with the default uncaught-exception handler the client shuts down).
 *
 * This is a capacity decision, not a transient fault: the buffer is restored from its changelog on restart, so
 * restarting (or `REPLACE_THREAD`) with the same bounds meets the same limit again. Raise `maxRecords`/`maxBytes`,
 * shorten the time limit or grace period, or accept early results with `emitEarlyWhenFull()`.
 * The refused update is not left in the buffer.
 */
export class SuppressionBufferFullError extends StateError {
  constructor(
    readonly usage: BufferUsage,
    coordinates: ErrorCoordinates,
  ) {
    super(
      'STATE_CAPACITY_EXCEEDED',
      `suppression buffer exceeded its capacity: ${usage.records}/${usage.maxRecords} records, ` +
        `${usage.bytes}/${usage.maxBytes} bytes; raise its bounds or use emitEarlyWhenFull()`,
      { coordinates },
    );
  }
}
