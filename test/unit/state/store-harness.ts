import type { Serde } from '../../../src/core/serde.js';
import type { ChangelogWriter } from '../../../src/state/changelog.js';
import type { KeyValueBytesStoreSupplier } from '../../../src/state/key-value-bytes-store.js';
import type { KeyValueIterator } from '../../../src/state/key-value-iterator.js';
import type { StateStore, StateStoreContext, StoreBuilder } from '../../../src/state/state-store.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import { Stores } from '../../../src/state/stores.js';

export interface ChangelogRecord {
  readonly store: string;
  readonly key: Buffer;
  readonly value: Buffer | null;
  readonly timestampMs: number;
}

/** A task's surroundings for a store under test: database, recorded changelog, settable record timestamp. */
export class TestTask {
  readonly changelogRecords: ChangelogRecord[] = [];
  timestampMs = 0;
  readonly context: StateStoreContext;

  constructor(
    readonly database: TaskDatabase = TaskDatabase.open(':memory:'),
    cacheMaxBytes = 10 * 1024 * 1024,
  ) {
    const changelog: ChangelogWriter = {
      send: (store, key, value, timestampMs) => this.changelogRecords.push({ store, key, value, timestampMs }),
    };
    this.context = {
      applicationId: 'app',
      taskId: '0_0',
      database,
      changelog,
      cacheMaxBytes,
      currentTimestampMs: () => this.timestampMs,
    };
  }

  open<S extends StateStore>(builder: StoreBuilder<S>): S {
    const store = builder.build();
    store.init(this.context);
    return store;
  }

  /** The changelog as decoded strings, e.g. `a=1@5` or `a=null@5`. */
  changelog(decodeKey: (bytes: Buffer) => string = String, decodeValue: (bytes: Buffer) => string = String): string[] {
    return this.changelogRecords.map(
      (r) => `${decodeKey(r.key)}=${r.value === null ? 'null' : decodeValue(r.value)}@${r.timestampMs}`,
    );
  }
}

export type StoreKind = 'in-memory' | 'sqlite';

export interface StoreConfiguration {
  readonly kind: StoreKind;
  readonly caching: boolean;
  readonly logging: boolean;
}

export const ALL_CONFIGURATIONS: readonly StoreConfiguration[] = (['in-memory', 'sqlite'] as const).flatMap((kind) =>
  [false, true].flatMap((caching) => [false, true].map((logging) => ({ kind, caching, logging }))),
);

export function describeConfiguration(c: StoreConfiguration): string {
  return `${c.kind}, caching ${c.caching ? 'on' : 'off'}, logging ${c.logging ? 'on' : 'off'}`;
}

export function supplierFor(kind: StoreKind, name: string): KeyValueBytesStoreSupplier {
  return kind === 'sqlite' ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
}

export function configuredBuilder<K, V>(
  configuration: StoreConfiguration,
  name: string,
  keySerde: Serde<K>,
  valueSerde: Serde<V>,
) {
  let builder = Stores.keyValueStoreBuilder(supplierFor(configuration.kind, name), keySerde, valueSerde);
  builder = configuration.caching ? builder.withCachingEnabled() : builder.withCachingDisabled();
  return configuration.logging ? builder.withLoggingEnabled() : builder.withLoggingDisabled();
}

/** Drains an iterator into `key=value` strings (and leaves it exhausted). */
export function drain<K, V>(iterator: KeyValueIterator<K, V>): string[] {
  return [...iterator].map(({ key, value }) => `${String(key)}=${String(value)}`);
}

export function keys<K, V>(iterator: KeyValueIterator<K, V>): K[] {
  return [...iterator].map(({ key }) => key);
}
