/**
 * Session end times, earliest first (a binary min-heap): how the in-memory session store finds what has expired
 * without keeping every end in a sorted array, whose front removals and out-of-order inserts shift the whole array.
 * An end may be queued more than once; whoever pops it checks whether anything still ends there.
 */
export class SessionEndQueue {
  private readonly heap: number[] = [];

  push(end: number): void {
    const heap = this.heap;
    let index = heap.push(end) - 1;
    while (index > 0) {
      const parent = (index - 1) >>> 1;
      if (heap[parent]! <= end) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = end;
  }

  /** Removes and returns the earliest end if it is before `time`; otherwise `undefined`. */
  popBefore(time: number): number | undefined {
    const heap = this.heap;
    const earliest = heap[0];
    if (earliest === undefined || earliest >= time) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) this.siftDown(last);
    return earliest;
  }

  clear(): void {
    this.heap.length = 0;
  }

  /** Places `end` from the root down to where both children are later. */
  private siftDown(end: number): void {
    const heap = this.heap;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= end) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = end;
  }
}
