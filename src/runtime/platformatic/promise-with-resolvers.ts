/**
 * @platformatic/kafka calls `Promise.withResolvers` (Node ≥ 22); Node 20, which kstreams supports, lacks it. The
 * adapter installs this standard-conforming version once, before its first call into the library, and never
 * replaces a native one.
 */
export function installPromiseWithResolvers(): void {
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers === 'function') {
    return;
  }
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
