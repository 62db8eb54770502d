import { Serdes } from '../core/serdes.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import type { StoreBuilder } from '../state/state-store.js';
import { Stores } from '../state/stores.js';

/** The one entry of a watermark store. */
const LAST_EMITTED_CLOSE_TIME = 'lastEmittedCloseTime';

/** The store next to window store `storeName` that remembers how far `onWindowClose` emission has got. */
export function emitWatermarkStoreName(storeName: string): string {
  return `${storeName}-emit-watermark`;
}

/**
 * A small key-value store holding the last window close time an `onWindowClose` aggregation emitted up to. Kafka
 * Streams keeps it in the commit's offset metadata; a store committed (and changelogged) with the window store
 * gives the same guarantee: after a restart or a move to another instance, emission resumes exactly where the
 * committed state left it, without emitting a window twice or skipping one. Caching stays off so that every
 * advance reaches the changelog in the same commit as the output it accounts for.
 */
export function emitWatermarkStoreBuilder(storeName: string, persistent: boolean, logging: boolean): StoreBuilder {
  const name = emitWatermarkStoreName(storeName);
  const supplier = persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
  const builder = Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.Long()).withCachingDisabled();
  return logging ? builder : builder.withLoggingDisabled();
}

/** A processor's view of its watermark store, read once at start-up and written through on every advance. */
export class EmitWatermark {
  private lastEmitted: number | null;

  constructor(private readonly store: KeyValueStore<string, number>) {
    this.lastEmitted = store.get(LAST_EMITTED_CLOSE_TIME);
  }

  /** The close time of the last emission, or `null` before the first one. */
  get lastEmittedCloseTimeMs(): number | null {
    return this.lastEmitted;
  }

  advanceTo(closeTimeMs: number): void {
    this.lastEmitted = closeTimeMs;
    this.store.put(LAST_EMITTED_CLOSE_TIME, closeTimeMs);
  }
}
