import type { StateStoreContext } from './state-store.js';

/** Shared by the caching stores initialised with one context object, i.e. the stores of one task. */
const budgetsByContext = new WeakMap<StateStoreContext, TaskCacheBudget>();

/**
 * One task's record-cache budget (`StateStoreContext.cacheMaxBytes`), shared by all its caching stores rather than
 * split evenly: a task with one busy and three idle stores gives the busy one the whole budget. When a write pushes
 * the total over the budget, the store that wrote evicts its own oldest entries, as Kafka Streams' thread cache does.
 */
export class TaskCacheBudget {
  private used = 0;
  private hitCount = 0;
  private missCount = 0;

  private constructor(readonly maxBytes: number) {}

  static of(context: StateStoreContext): TaskCacheBudget {
    let budget = budgetsByContext.get(context);
    if (budget === undefined) {
      budget = new TaskCacheBudget(Math.max(0, context.cacheMaxBytes));
      budgetsByContext.set(context, budget);
    }
    return budget;
  }

  get usedBytes(): number {
    return this.used;
  }

  get isExceeded(): boolean {
    return this.used > this.maxBytes;
  }

  /** Reads the task's caching stores answered from memory, and reads that went to the store below. */
  get lookups(): { readonly hits: number; readonly misses: number } {
    return { hits: this.hitCount, misses: this.missCount };
  }

  /** A caching store's read of a key: `hit` when the cache answered it without the store below. */
  recordLookup(hit: boolean): void {
    if (hit) this.hitCount++;
    else this.missCount++;
  }

  /** Positive when an entry is cached or grows, negative when it leaves the cache. */
  add(bytes: number): void {
    this.used += bytes;
  }
}
