import type { Headers } from '../core/headers.js';
import type { Serde } from '../core/serde.js';
import {
  sessionWindowedKeyBytes,
  splitSessionWindowedKeyBytes,
  splitTimeWindowedKeyBytes,
  timeWindowedKeyBytes,
} from '../core/windowed.js';
import type { Windowed } from '../core/windowed.js';
import { SerdeError } from '../core/errors.js';

/**
 * Serdes for windowed keys, byte-compatible with Kafka Streams' `WindowedSerdes`, so Java consumers can read our
 * windowed output and we theirs. The inner serde sees the same topic and headers as the windowed one.
 */
export const WindowedSerdes = {
  /**
   * Key bytes + 8-byte window start. The end is not on the wire: the reader gives the window size, and each key it
   * reads gets `end = start + windowSizeMs`, as Kafka Streams' `TimeWindowedDeserializer` does.
   */
  timeWindowedSerdeFrom<K>(inner: Serde<K>, windowSizeMs: number): Serde<Windowed<K>> {
    return {
      serialize(topic: string, data: Windowed<K> | null, headers?: Headers): Buffer | null {
        if (data === null) return null;
        return timeWindowedKeyBytes(innerKeyBytes(inner, topic, data, headers), data.window.start);
      },
      deserialize(topic: string, data: Buffer | null, headers?: Headers): Windowed<K> | null {
        if (data === null) return null;
        const { keyBytes, windowStart } = split(() => splitTimeWindowedKeyBytes(data));
        const key = innerKey(inner, topic, keyBytes, headers);
        return { key, window: { start: windowStart, end: windowStart + windowSizeMs } };
      },
    };
  },

  /** Key bytes + 8-byte window end + 8-byte window start. */
  sessionWindowedSerdeFrom<K>(inner: Serde<K>): Serde<Windowed<K>> {
    return {
      serialize(topic: string, data: Windowed<K> | null, headers?: Headers): Buffer | null {
        if (data === null) return null;
        return sessionWindowedKeyBytes(innerKeyBytes(inner, topic, data, headers), data.window);
      },
      deserialize(topic: string, data: Buffer | null, headers?: Headers): Windowed<K> | null {
        if (data === null) return null;
        const { keyBytes, window } = split(() => splitSessionWindowedKeyBytes(data));
        return { key: innerKey(inner, topic, keyBytes, headers), window };
      },
    };
  },
} as const;

function innerKeyBytes<K>(inner: Serde<K>, topic: string, data: Windowed<K>, headers: Headers | undefined): Buffer {
  const bytes = inner.serialize(topic, data.key, headers);
  if (bytes === null) throw new SerdeError('a windowed key needs a non-null key');
  return bytes;
}

function innerKey<K>(inner: Serde<K>, topic: string, keyBytes: Buffer, headers: Headers | undefined): K {
  const key = inner.deserialize(topic, keyBytes, headers);
  if (key === null) throw new SerdeError('a windowed key needs a non-null key');
  return key;
}

function split<T>(read: () => T): T {
  try {
    return read();
  } catch (cause) {
    throw new SerdeError('cannot read a windowed key', { cause });
  }
}
