import type { ChangelogRecord } from './changelog.js';
import type { StateStore, StateStoreContext } from './state-store.js';

/** A bytes store that can replay changelog records, the shape every layer below the typed one has. */
export interface RestorableStore extends StateStore {
  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void;
}

/**
 * Base of the store layers that wrap another one (change-logging over a bytes store, the typed layer over the
 * bytes layers): the lifecycle and restoration pass straight through to the inner store, so a layer writes only
 * what it adds.
 */
export abstract class WrappingStore<S extends RestorableStore> implements RestorableStore {
  constructor(protected readonly inner: S) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StateStoreContext): void {
    this.inner.init(context);
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    this.inner.restoreBatch(records);
  }

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.inner.close();
  }

  isOpen(): boolean {
    return this.inner.isOpen();
  }
}
