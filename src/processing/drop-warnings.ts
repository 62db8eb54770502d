import type { DroppedRecordReason } from '../core/processor.js';
import type { TaskLogger } from './task-logger.js';

/** What a task warns about: records processors drop, and input records the error policies skipped. */
export type WarnedDrop = DroppedRecordReason | 'deserializationError' | 'processingError' | 'invalidTimestamp';

/** At most one warning per reason and task in this time, after the first. */
export const DROP_WARNING_INTERVAL_MS = 30_000;

const MESSAGES: { readonly [reason in WarnedDrop]: string } = {
  deserializationError: 'skipping record that cannot be deserialized',
  processingError: 'skipping record after a processing error',
  invalidTimestamp: 'skipping record with an invalid timestamp',
  nullKey: 'processor dropped records without a key',
  nullValue: 'processor dropped records without a value',
  lateRecord: 'processor dropped late records: their window had closed (stream time passed window end + grace)',
  staleRecord: 'processor dropped stale records: superseded by a newer value (an out-of-order versioned update, or a foreign-key join response for a replaced value)',
};

interface Pending {
  lastWarningMs: number;
  /** Drops since the last warning. */
  unreported: number;
  /** Where the latest unreported drop happened. */
  fields: object;
}

/**
 * Warns about records a processor drops (no key, no value, too late) and input records the deserialization,
 * processing and invalid-timestamp policies skip, so that they are seen without debug logs,
 * without a line per record: the first drop of each reason warns at once, later ones at most once per
 * `intervalMs`, with the number dropped since the previous warning (`dropped`). `flush` reports what is left,
 * when the task closes. The counts are in the task's metrics as well.
 */
export class DropWarnings {
  private readonly pending = new Map<WarnedDrop, Pending>();

  constructor(
    private readonly logger: TaskLogger,
    private readonly clock: () => number,
    private readonly intervalMs = DROP_WARNING_INTERVAL_MS,
  ) {}

  /** One dropped record; `fields` locate it (topic, partition, offset, processor) and say why (the error). */
  note(reason: WarnedDrop, fields: object): void {
    const now = this.clock();
    const pending = this.pending.get(reason);
    if (pending === undefined) {
      this.pending.set(reason, { lastWarningMs: now, unreported: 0, fields });
      this.warn(reason, 1, fields);
      return;
    }
    pending.unreported++;
    pending.fields = fields;
    if (now - pending.lastWarningMs < this.intervalMs) return;
    this.warn(reason, pending.unreported, fields);
    pending.lastWarningMs = now;
    pending.unreported = 0;
  }

  /** Warns about drops not reported yet. */
  flush(): void {
    for (const [reason, pending] of this.pending) {
      if (pending.unreported > 0) this.warn(reason, pending.unreported, pending.fields);
      pending.unreported = 0;
    }
  }

  private warn(reason: WarnedDrop, dropped: number, fields: object): void {
    this.logger.warn({ ...fields, reason, dropped }, MESSAGES[reason]);
  }
}
