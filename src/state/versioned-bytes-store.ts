import { StateError } from '../core/errors.js';
import type { ChangelogRecord } from './changelog.js';
import type { StateStore, StateStoreContext } from './state-store.js';

/** `put` made the record the key's latest version (Kafka Streams' `VALID_TO_UNDEFINED`, `PUT_RETURN_CODE_IS_LATEST`). */
export const PUT_RETURN_CODE_VALID_TO_UNDEFINED = -1;
/**
 * `put` refused the record: it is older than the store's history retention (Kafka Streams' `PUT_RETURN_CODE_NOT_PUT`,
 * which is `Long.MIN_VALUE`; ours is the smallest safe integer, as a JavaScript number cannot hold `Long.MIN_VALUE`).
 */
export const PUT_RETURN_CODE_NOT_PUT = Number.MIN_SAFE_INTEGER;

/** One version of a key as the bytes layers hand it out. `validTo` is absent for the latest version. */
export interface VersionedBytesRecord {
  readonly value: Buffer;
  readonly timestamp: number;
  readonly validTo?: number;
}

/**
 * The untyped layers of a versioned key-value store (Kafka Streams' `VersionedBytesStore`): every write is a version
 * of its key valid from its timestamp until the next version's; `null` values are tombstone versions.
 */
export interface VersionedBytesStore extends StateStore {
  readonly historyRetentionMs: number;
  /** Returns the new version's `validTo`, `PUT_RETURN_CODE_VALID_TO_UNDEFINED` if it is the latest, or `PUT_RETURN_CODE_NOT_PUT`. */
  put(key: Buffer, value: Buffer | null, timestampMs: number): number;
  /** Puts a tombstone at `timestampMs`; returns the version that was valid then, or `null` (also when expired). */
  delete(key: Buffer, timestampMs: number): VersionedBytesRecord | null;
  /** The latest version, unless it is a tombstone. */
  get(key: Buffer): VersionedBytesRecord | null;
  /** The version valid at `asOfTimestampMs` (its `validFrom <= asOf < validTo`), unless it is a tombstone. */
  getAsOf(key: Buffer, asOfTimestampMs: number): VersionedBytesRecord | null;
  /** Replays changelog records as `put(key, value, timestamp)`, with the same retention rule. */
  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void;
}

/** Makes a fresh versioned bytes store per task. */
export interface VersionedBytesStoreSupplier {
  readonly name: string;
  readonly historyRetentionMs: number;
  readonly segmentIntervalMs: number;
  get(): VersionedBytesStore;
}

/** A stored version: valid over `[validFrom, validTo)`, `validTo` `null` for the latest; `value` `null` for a tombstone. */
export interface StoredVersion {
  readonly validFrom: number;
  readonly validTo: number | null;
  readonly value: Buffer | null;
}

/**
 * The rules of Kafka Streams' `RocksDBVersionedStore`, over a storage of versions that subclasses provide. The
 * store tracks the largest timestamp it accepted (`observedStreamTime`); history retention doubles as its grace
 * period:
 *
 * - a put older than `observed − retention` is refused; otherwise it replaces the version with the same timestamp,
 *   or is inserted between its neighbours, cutting the previous version's validity at its timestamp;
 * - a read as of a time older than `observed − retention` sees only the latest version, when it is old enough;
 *   otherwise it sees the version valid at that time. Reads apply the rule exactly, so when expired versions are
 *   actually deleted (a segment's worth at a time, like Kafka Streams' segments) never changes a result.
 */
export abstract class VersionedBytesStoreBase implements VersionedBytesStore {
  abstract readonly persistent: boolean;
  private observedStreamTime = Number.NEGATIVE_INFINITY;
  private lastExpiredSegment = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly historyRetentionMs: number,
    private readonly segmentIntervalMs: number,
  ) {}

  init(context: StateStoreContext): void {
    this.observedStreamTime = this.openStorage(context) ?? Number.NEGATIVE_INFINITY;
  }

  abstract flush(): void;
  abstract close(): void;
  abstract isOpen(): boolean;

  put(key: Buffer, value: Buffer | null, timestampMs: number): number {
    requireTimestamp(this.name, timestampMs);
    if (timestampMs < this.observedStreamTime - this.historyRetentionMs) return PUT_RETURN_CODE_NOT_PUT;
    this.observedStreamTime = Math.max(this.observedStreamTime, timestampMs);
    const validTo = this.insertVersion(key, value, timestampMs);
    this.maybeExpire();
    return validTo ?? PUT_RETURN_CODE_VALID_TO_UNDEFINED;
  }

  delete(key: Buffer, timestampMs: number): VersionedBytesRecord | null {
    requireTimestamp(this.name, timestampMs);
    if (timestampMs < this.observedStreamTime - this.historyRetentionMs) return null;
    const existing = this.getAsOf(key, timestampMs);
    this.put(key, null, timestampMs);
    return existing;
  }

  get(key: Buffer): VersionedBytesRecord | null {
    return asRecord(this.latestVersion(key));
  }

  getAsOf(key: Buffer, asOfTimestampMs: number): VersionedBytesRecord | null {
    if (asOfTimestampMs < this.observedStreamTime - this.historyRetentionMs) {
      // History is gone for that time, but the latest version never expires: it still answers if it is old enough.
      const latest = this.latestVersion(key);
      return latest !== null && latest.validFrom <= asOfTimestampMs ? asRecord(latest) : null;
    }
    return asRecord(this.floorVersion(key, asOfTimestampMs));
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    for (const { key, value, timestampMs } of records) this.put(key, value, timestampMs);
  }

  /** Inserts (or replaces at an equal timestamp) the version; returns its `validTo`, `null` if it is the latest. */
  private insertVersion(key: Buffer, value: Buffer | null, timestampMs: number): number | null {
    const floor = this.floorVersion(key, timestampMs);
    if (floor !== null && floor.validFrom === timestampMs) {
      this.writeVersion(key, { validFrom: timestampMs, validTo: floor.validTo, value });
      return floor.validTo;
    }
    const validTo = floor !== null ? floor.validTo : this.earliestValidFrom(key);
    if (floor !== null) this.writeVersion(key, { ...floor, validTo: timestampMs });
    this.writeVersion(key, { validFrom: timestampMs, validTo, value });
    return validTo;
  }

  /** Deletes expired versions once per segment interval of the retention boundary. */
  private maybeExpire(): void {
    const boundary = this.observedStreamTime - this.historyRetentionMs;
    const segment = Math.floor(boundary / this.segmentIntervalMs);
    if (segment <= this.lastExpiredSegment) return;
    this.lastExpiredSegment = segment;
    this.deleteVersionsValidTo(boundary);
  }

  /** Opens the storage; returns the observed stream time it recovers (its newest version's timestamp), if any. */
  protected abstract openStorage(context: StateStoreContext): number | null;
  /** The version with `validTo` `null`, tombstone or not. */
  protected abstract latestVersion(key: Buffer): StoredVersion | null;
  /** The version with the largest `validFrom <= timestampMs`. */
  protected abstract floorVersion(key: Buffer, timestampMs: number): StoredVersion | null;
  /** The smallest `validFrom` of the key, or `null` when it has no version. */
  protected abstract earliestValidFrom(key: Buffer): number | null;
  /** Writes the version, replacing the key's version with the same `validFrom`. */
  protected abstract writeVersion(key: Buffer, version: StoredVersion): void;
  /** Deletes every version whose `validTo` is at or before `boundary`; no read can see them any more. */
  protected abstract deleteVersionsValidTo(boundary: number): void;
}

function asRecord(version: StoredVersion | null): VersionedBytesRecord | null {
  if (version === null || version.value === null) return null;
  if (version.validTo === null) return { value: version.value, timestamp: version.validFrom };
  return { value: version.value, timestamp: version.validFrom, validTo: version.validTo };
}

function requireTimestamp(storeName: string, timestampMs: number): void {
  if (!Number.isSafeInteger(timestampMs)) {
    throw new StateError('STATE_MISUSE', `versioned store needs an integer timestamp, got ${timestampMs}`, { coordinates: { store: storeName } });
  }
}

/**
 * Kafka Streams' default segment interval for a history retention
 * (`RocksDbVersionedKeyValueBytesStoreSupplier.defaultSegmentInterval`): how much history is deleted at once.
 */
export function defaultVersionedSegmentIntervalMs(historyRetentionMs: number): number {
  if (historyRetentionMs <= 60_000) return Math.max(Math.floor(historyRetentionMs / 3), 2_000);
  if (historyRetentionMs <= 300_000) return Math.max(Math.floor(historyRetentionMs / 5), 20_000);
  if (historyRetentionMs <= 3_600_000) return Math.max(Math.floor(historyRetentionMs / 12), 60_000);
  return Math.max(Math.floor(historyRetentionMs / 24), 300_000);
}
