/**
 * One progress per task for several processors writing the same store: the inputs of a cogroup under
 * `onWindowClose`. Sharing their stream time and emit watermark closes a window once for all of them, so no input
 * adds to a window after it was emitted, and none emits it again. A task's processors get the same store
 * instance, which keys the progress.
 */
export class SharedWindowProgress {
  private readonly byStore = new WeakMap<object, unknown>();

  /** The progress of the task owning `store`, made by `create` for the first of its processors. */
  forStore<P>(store: object, create: () => P): P {
    if (!this.byStore.has(store)) this.byStore.set(store, create());
    return this.byStore.get(store) as P;
  }
}
