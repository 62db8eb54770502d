import { StreamsError } from '../../../core/errors.js';
import type { Windowed } from '../../../core/windowed.js';
import { querySnapshot, type SnapshotTable, type SqlRow } from '../../../state/sqlite/sql-snapshot.js';
import type { CompiledTopology } from '../../../topology/compiled-topology.js';
import type { LocalQuerySource } from './local-store-query.js';

/**
 * `streams.query(sql)`: one read-only SQL statement over the local tasks' share of the stores it names (each
 * store's rows decoded by its own serdes, every local task of it together), or over global stores. Only stores
 * whose name occurs in the statement are copied. Refused while the client is not RUNNING: during a rebalance the
 * local share of a store is changing, and a count over it would be wrong without saying so.
 */
export function queryLocalStores(topology: CompiledTopology, source: LocalQuerySource, sql: string): SqlRow[] {
  if (typeof sql !== 'string') throw new StreamsError('STATE_MISUSE', 'streams.query() takes one SQL statement as a string');
  const state = source.state();
  if (state !== 'RUNNING') throw new StreamsError('STORE_NOT_AVAILABLE', `the local stores cannot be queried while the client is ${state}; retry`);
  const named = topology.stores.map((s) => s.name).filter((name) => sql.includes(name));
  return querySnapshot(named.map((name) => tableOf(name, source)), sql);
}

function tableOf(name: string, source: LocalQuerySource): SnapshotTable {
  try {
    return { name, columns: ['key'], rows: readAll(source.keyValueStore(name).all(), (key, value) => [key, value]) };
  } catch (error) {
    if (!(error instanceof StreamsError) || error.code !== 'ILLEGAL_STATE') throw error;
  }
  const windows = source.windowStore(name).all();
  return { name, columns: ['key', 'window_start', 'window_end'], rows: readAll(windows, (key: Windowed<unknown>, value) => [key.key, key.window.start, key.window.end, value]) };
}

function readAll<K, V>(iterator: IterableIterator<{ key: K; value: V }> & { close(): void }, row: (key: K, value: V) => unknown[]): unknown[][] {
  try {
    return [...iterator].map(({ key, value }) => row(key, value));
  } finally {
    iterator.close();
  }
}
