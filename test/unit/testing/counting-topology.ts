import type { ProcessorContext } from '../../../src/core/processor.js';
import { Record } from '../../../src/core/record.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { KeyValueStore } from '../../../src/state/key-value-store.js';
import { Stores } from '../../../src/state/stores.js';
import { Topology } from '../../../src/topology/topology.js';

/**
 * Counts records per key in a store and forwards every count each 10 s of stream time; once a minute of wall-clock
 * time it forwards the number of keys under the key `wall`. The same topology, written in Java against Kafka
 * Streams 4.1.2, produced the expectations in the tests.
 */
export function countingTopology(): Topology {
  return new Topology()
    .addSource('input', 'events', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .addProcessor(
      'counter',
      () => {
        let context: ProcessorContext<string, number>;
        let store: KeyValueStore<string, number>;
        return {
          init(ctx: ProcessorContext<string, number>) {
            context = ctx;
            store = ctx.getStateStore<KeyValueStore<string, number>>('counts');
            ctx.schedule(10_000, 'stream-time', (timestamp) => {
              for (const { key, value } of store.all()) context.forward(new Record(key, value, timestamp));
            });
            ctx.schedule(60_000, 'wall-clock', (timestamp) => context.forward(new Record('wall', store.approximateNumEntries(), timestamp)));
          },
          process(record: Record<string, string>) {
            store.put(record.key, (store.get(record.key) ?? 0) + 1);
          },
        };
      },
      'input',
    )
    .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('counts'), Serdes.String(), Serdes.Long()), 'counter')
    .addSink('output', 'counts', { keySerde: Serdes.String(), valueSerde: Serdes.Long() }, 'counter');
}
