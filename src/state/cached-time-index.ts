/**
 * The entries of a window cache by time across keys, so that a scan by time (an `onWindowClose` emission reading
 * the windows that just closed) visits the entries in its range instead of every cached entry: with thousands of
 * keys, and an emission every few hundred records, a scan of the whole cache cost more than the records did.
 *
 * One set of entries per distinct time, and the distinct times in order: times mostly arrive in order and leave
 * from the front, so keeping that array sorted costs little.
 */
export class CachedTimeIndex<E> {
  private readonly entriesAt = new Map<number, Set<E>>();
  /** The times of `entriesAt`, ascending. */
  private readonly times: number[] = [];

  add(time: number, entry: E): void {
    const entries = this.entriesAt.get(time);
    if (entries !== undefined) {
      entries.add(entry);
      return;
    }
    this.entriesAt.set(time, new Set([entry]));
    const { times } = this;
    if (times.length === 0 || times[times.length - 1]! < time) times.push(time);
    else times.splice(firstAtOrAfter(times, time), 0, time);
  }

  remove(time: number, entry: E): void {
    const entries = this.entriesAt.get(time);
    if (entries === undefined || !entries.delete(entry) || entries.size > 0) return;
    this.entriesAt.delete(time);
    const index = firstAtOrAfter(this.times, time);
    if (index === 0) this.times.shift();
    else this.times.splice(index, 1);
  }

  /** The entries with a time in `[from, to]`, by time (in insertion order within one time). */
  between(from: number, to: number): E[] {
    const found: E[] = [];
    const { times } = this;
    for (let index = firstAtOrAfter(times, from); index < times.length && times[index]! <= to; index++) {
      for (const entry of this.entriesAt.get(times[index]!)!) found.push(entry);
    }
    return found;
  }

}

/** The index of the first of `sorted` at or after `time` (`sorted.length` when none is). */
function firstAtOrAfter(sorted: readonly number[], time: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < time) low = middle + 1;
    else high = middle;
  }
  return low;
}
