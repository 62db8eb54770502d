/** An item `WriteOrder` can place: it carries the stamp of its latest slot (`-1` while not in the order). */
export interface Ordered {
  writeStamp: number;
}

/**
 * Items in the order they were last written, oldest first. Writing an item again appends a new slot and leaves
 * its earlier slot stale (its stamp no longer matches), to be skipped and eventually compacted away, so moving an
 * item to the end is two array pushes instead of a `Map` delete and re-insert.
 */
export class WriteOrder<T extends Ordered> {
  private readonly items: T[] = [];
  private readonly stamps: number[] = [];
  private start = 0;
  private clock = 0;
  private live = 0;

  /** Makes `item` the most recently written. */
  touch(item: T): void {
    if (item.writeStamp < 0) this.live++;
    item.writeStamp = ++this.clock;
    this.items.push(item);
    this.stamps.push(item.writeStamp);
    if (this.items.length - this.start > 2 * this.live + 64) this.compact();
  }

  remove(item: T): void {
    if (item.writeStamp < 0) return;
    item.writeStamp = -1;
    this.live--;
  }

  /** The least recently written item, `undefined` when there is none. */
  oldest(): T | undefined {
    while (this.start < this.items.length) {
      const item = this.items[this.start]!;
      if (item.writeStamp === this.stamps[this.start]) return item;
      this.start++;
    }
    return undefined;
  }

  /** The items from least to most recently written, as they are now; later changes do not affect the result. */
  snapshot(): T[] {
    this.compact();
    return this.items.slice();
  }

  clear(): void {
    for (let i = this.start; i < this.items.length; i++) this.items[i]!.writeStamp = -1;
    this.items.length = 0;
    this.stamps.length = 0;
    this.start = 0;
    this.live = 0;
  }

  /** Moves the live slots to the front, in place, dropping the stale ones. */
  private compact(): void {
    const { items, stamps } = this;
    let kept = 0;
    for (let i = this.start; i < items.length; i++) {
      const item = items[i]!;
      if (item.writeStamp !== stamps[i]) continue;
      items[kept] = item;
      stamps[kept] = item.writeStamp;
      kept++;
    }
    items.length = kept;
    stamps.length = kept;
    this.start = 0;
  }
}
