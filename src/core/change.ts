/**
 * What KTable nodes pass each other: the key's new value and, when a downstream node asked for it, the value it
 * replaces. `null` on either side means "no value" (a new key, or a deletion).
 */
export interface Change<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}
