import { emitWatermarkStoreName } from '../../windows/emit-watermark-store.js';
import type { StoreSpec } from './graph-node.js';

/**
 * The names of the stores `materializeStores` builds for a cogroup's spec: the aggregate store, and for
 * `onWindowClose` the watermark next to it. Every input's aggregation uses both.
 */
export function cogroupStoreNames(spec: StoreSpec, storeName: string): string[] {
  return spec.windowing?.emitOnClose === true ? [storeName, emitWatermarkStoreName(storeName)] : [storeName];
}
