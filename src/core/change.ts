/**
 * What KTable nodes pass each other: the key's new value and, when a downstream node asked for it, the value it
 * replaces. `null` on either side means "no value" (a new key, or a deletion).
 */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
  /**
   * `false` when a versioned table accepted an update older than the key's latest version (KIP-914): the change is
   * history, not the table's new current value. Absent means `true`.
   */
  readonly isLatest?: boolean;
}

/** `change`, carrying `from`'s `isLatest` flag: KTable processors that derive a change pass the flag along. */
export function withLatestFlagOf<V>(change: Change<V>, from: Change<unknown>): Change<V> {
  return from.isLatest === false ? { ...change, isLatest: false } : change;
}
