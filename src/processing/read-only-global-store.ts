import { StreamsError } from '../core/errors.js';
import type { StateStore } from '../state/state-store.js';

/** What a task may not call on a global store: writes, and the lifecycle the global state task owns. */
const REFUSED = new Set<PropertyKey>(['put', 'putIfAbsent', 'putAll', 'delete', 'init', 'flush', 'close', 'restoreBatch']);

/**
 * A global store as stream tasks see it (Kafka Streams' read-only decorators): reads pass through; writes throw,
 * since only the global state task writes the store, committing each write with the topic position it came from.
 */
export function readOnlyGlobalStore(store: StateStore): StateStore {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      if (REFUSED.has(property)) {
        return () => {
          throw new StreamsError('ILLEGAL_STATE', `global store ${target.name} is read-only: only its topic updates it`, { coordinates: { store: target.name } });
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = bound.get(property);
      if (method === undefined) bound.set(property, (method = (value as (...args: unknown[]) => unknown).bind(target)));
      return method;
    },
  });
}
