import { ProcessingError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import { Serdes } from '../../core/serdes.js';
import { Stores } from '../../state/stores.js';
import type { KStream, KTable } from '../dsl/dsl-api.js';
import type { StoreOptions } from '../dsl/dsl-options.js';
import type { StreamsBuilder } from '../dsl/streams-builder.js';
import type { TimestampExtractor } from '../node-options.js';
import type { ChangeEvent } from './change-event.js';
import { changePositionGuard } from './change-position-guard.js';
import { postgresLsn, type AppliedPositions, type ChangePositionOf } from './change-position.js';
import { DebeziumSerdes } from './debezium-serdes.js';

type Row = { readonly [column: string]: unknown };

/** How a Debezium topic is read. */
export interface DebeziumOptions<K, V> {
  /**
   * The base of every node and store name (`<name>-source`, `<name>-position-guard`, `<name>-positions`, …);
   * the topic by default. Store names are a compatibility surface: changing this loses the positions.
   */
  readonly name?: string;
  /** The key as the row's primary-key columns; `DebeziumSerdes.key()` (JSON, schemas on or off) by default. */
  readonly keySerde?: Serde<K>;
  /** The envelope; `DebeziumSerdes.changeEvent()` (JSON, schemas on or off) by default, or one over an Avro serde. */
  readonly valueSerde?: Serde<ChangeEvent<V>>;
  /** Keys as the stores write them (the positions store, the table); `keySerde` by default. */
  readonly storeKeySerde?: Serde<K>;
  /** Event time; `Debezium.sourceTime()` (when the database committed the change) by default. */
  readonly timestampExtractor?: TimestampExtractor<K, ChangeEvent<V>>;
  /** Orders a key's changes to drop duplicates and stale ones; Postgres' `source.lsn` by default (see docs/cdc.md). */
  readonly position?: ChangePositionOf<V>;
  /** `'persistent'` (the default) or `'in-memory'`, for the positions store. */
  readonly storeType?: StoreOptions['storeType'];
}

/** How a Debezium topic becomes a table; `storeName` makes the table queryable. */
export interface DebeziumTableOptions<K, V> extends DebeziumOptions<K, V>, StoreOptions {
  /** The rows as the table's store and changelog keep them; JSON by default (the changelog needs no registry). */
  readonly rowSerde?: Serde<V>;
}

function rowOf<V>(event: ChangeEvent<V>, topic: string): V | null {
  switch (event.op) {
    case 'c':
    case 'r':
    case 'u':
      return event.after;
    case 'd':
      return null;
    default:
      // A table cannot apply a truncate key by key: leave truncates out at the connector (`skipped.operations`,
      // which skips them by default) or read them from Debezium.changes().
      throw new ProcessingError(`Debezium.table(${topic}): a "${event.op}" event cannot be applied to a table row`);
  }
}

/**
 * Change data capture from Debezium topics, built from the DSL's own operations: a source, a processor that
 * drops stale and duplicate events by the source's position, and `toTable`. See docs/cdc.md.
 */
export const Debezium = {
  /**
   * Every change of a Debezium row topic as a typed event `{ op, before, after, source, tsMs }`, keyed by the row's
   * primary key, each change once and in the source's order per key: Debezium's tombstones and events not newer
   * than the last applied one for their key (a restarted connector's duplicates) are dropped and counted.
   */
  changes<K = Row, V = Row>(builder: StreamsBuilder, topic: string, options: DebeziumOptions<K, V> = {}): KStream<K, ChangeEvent<V>> {
    const name = options.name ?? topic;
    const keySerde = options.keySerde ?? DebeziumSerdes.key<K>();
    const valueSerde = options.valueSerde ?? DebeziumSerdes.changeEvent<V>();
    const storeName = `${name}-positions`;
    const supplier = options.storeType === 'in-memory' ? Stores.inMemoryKeyValueStore(storeName) : Stores.persistentKeyValueStore(storeName);
    builder.addStateStore(Stores.keyValueStoreBuilder(supplier, options.storeKeySerde ?? keySerde, Serdes.Json<AppliedPositions>()));
    return builder
      .stream<K, ChangeEvent<V> | null>(topic, {
        name: `${name}-source`,
        keySerde,
        valueSerde,
        timestampExtractor: (options.timestampExtractor ?? Debezium.sourceTime<K, V>()) as TimestampExtractor<K, ChangeEvent<V> | null>,
      })
      .processValues(changePositionGuard<K, V>(storeName, options.position ?? postgresLsn), { name: `${name}-position-guard` }, storeName);
  },

  /**
   * A table of a Debezium row topic keyed by the row's primary key: creates, snapshot reads and updates put the row
   * (`after`), deletes remove it; stale and duplicate events never roll a row back (see `changes`).
   */
  table<K = Row, V = Row>(builder: StreamsBuilder, topic: string, options: DebeziumTableOptions<K, V> = {}): KTable<K, V> {
    return Debezium.tableOf(Debezium.changes(builder, topic, options), { ...options, name: options.name ?? topic, topic });
  },

  /** The table of a stream from `Debezium.changes` (for an application that wants both the events and the table). */
  tableOf<K, V>(
    changes: KStream<K, ChangeEvent<V>>,
    options: Omit<DebeziumTableOptions<K, V>, 'name'> & { readonly name: string; readonly topic?: string },
  ): KTable<K, V> {
    const { name, rowSerde, storeKeySerde, keySerde } = options;
    return changes
      // A delete's null is what toTable reads as "remove the row"; the stream's type leaves it out, as KStream's do.
      .mapValues((event) => rowOf(event, options.topic ?? name) as V, { name: `${name}-row` })
      .toTable({
        name: `${name}-table`,
        keySerde: storeKeySerde ?? keySerde ?? DebeziumSerdes.key<K>(),
        valueSerde: rowSerde ?? Serdes.Json<V>(),
        storeName: options.storeName,
        storeType: options.storeType,
        caching: options.caching,
        logging: options.logging,
      });
  },

  /**
   * Event time of a change: `source.ts_ms`, when the database committed it (or, for a snapshot row, when the
   * snapshot read it), which a replayed duplicate keeps; else the envelope's `ts_ms`, when the connector processed
   * it; else (a tombstone) the Kafka timestamp.
   */
  sourceTime<K, V>(): TimestampExtractor<K, ChangeEvent<V> | null> {
    return (record) => {
      const event = record.value;
      const sourceTime = event?.source.ts_ms;
      if (typeof sourceTime === 'number') return sourceTime;
      if (typeof sourceTime === 'bigint') return Number(sourceTime);
      return event?.tsMs ?? record.timestamp;
    };
  },
} as const;
