import { StateError } from '../core/errors.js';
import { byteString } from './sorted-key-index.js';
import type { StateStoreContext } from './state-store.js';
import { VersionedBytesStoreBase } from './versioned-bytes-store.js';
import type { StoredVersion } from './versioned-bytes-store.js';

/**
 * A versioned key-value store in process memory: each key's versions in an array ascending by `validFrom`. Not
 * covered by the task's SQLite transaction, so the runtime rebuilds it from its changelog whenever the task starts
 * or rolls back, like the other in-memory stores. Expiry sweeps every key once per segment interval.
 */
export class InMemoryVersionedBytesStore extends VersionedBytesStoreBase {
  readonly persistent = false;
  private readonly versions = new Map<string, StoredVersion[]>();
  private open = false;

  protected openStorage(_context: StateStoreContext): number | null {
    this.open = true;
    let newest: number | null = null;
    for (const list of this.versions.values()) newest = Math.max(newest ?? Number.NEGATIVE_INFINITY, list[list.length - 1]!.validFrom);
    return newest;
  }

  flush(): void {
    // Nothing to push down: the changelog is written as each put happens.
  }

  close(): void {
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }

  protected latestVersion(key: Buffer): StoredVersion | null {
    const list = this.listOf(key);
    const last = list?.[list.length - 1];
    return last !== undefined && last.validTo === null ? last : null;
  }

  protected floorVersion(key: Buffer, timestampMs: number): StoredVersion | null {
    const list = this.listOf(key);
    if (list === undefined) return null;
    const index = floorIndex(list, timestampMs);
    return index < 0 ? null : list[index]!;
  }

  protected earliestValidFrom(key: Buffer): number | null {
    return this.listOf(key)?.[0]?.validFrom ?? null;
  }

  protected writeVersion(key: Buffer, stored: StoredVersion): void {
    this.ensureOpen();
    const id = byteString(key);
    const list = this.versions.get(id);
    if (list === undefined) {
      this.versions.set(id, [stored]);
      return;
    }
    const index = floorIndex(list, stored.validFrom);
    if (index >= 0 && list[index]!.validFrom === stored.validFrom) list[index] = stored;
    else list.splice(index + 1, 0, stored);
  }

  protected deleteVersionsValidTo(boundary: number): void {
    for (const [id, list] of this.versions) {
      const live = list.filter((stored) => stored.validTo === null || stored.validTo > boundary);
      if (live.length === 0) this.versions.delete(id);
      else if (live.length !== list.length) this.versions.set(id, live);
    }
  }

  private listOf(key: Buffer): StoredVersion[] | undefined {
    this.ensureOpen();
    return this.versions.get(byteString(key));
  }

  private ensureOpen(): void {
    if (!this.open) throw new StateError('STATE_MISUSE', 'store is not open', { coordinates: { store: this.name } });
  }
}

/** The index of the last version with `validFrom <= timestampMs`, or -1. */
function floorIndex(list: readonly StoredVersion[], timestampMs: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.validFrom <= timestampMs) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
