import { Serdes } from '../../../src/core/serdes.js';
import { Stores } from '../../../src/state/stores.js';
import { Topology } from '../../../src/topology/topology.js';

const noop = () => ({ process: () => undefined });
const store = (name: string) => Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.Long());

/**
 * A hand-built Processor API topology with a diamond, fan-out, a store shared by two branches (which joins them
 * into one sub-topology) and a repartition topic cutting off a second sub-topology.
 */
export function goldenTopology(): Topology {
  const customers = store('customers');
  return new Topology()
    .addSource('orders-source', ['orders', 'returns'])
    .addProcessor('validate', noop, 'orders-source')
    .addProcessor('enrich', noop, 'validate')
    .addStateStore(customers, 'enrich')
    .addProcessor('route', noop, 'enrich')
    .addSink('big-orders-sink', 'big-orders', 'route')
    .addSink('small-orders-sink', 'small-orders', 'route')
    .addProcessor('audit', noop, 'validate', 'enrich')
    .addSink('audit-sink', 'audit', 'audit')
    .addSource('payments-source', 'payments')
    .addProcessor('match', noop, 'payments-source')
    .connectProcessorAndStateStores('match', 'customers')
    .addSource('rekeyed-source', 'orders-by-customer-repartition', { internal: true })
    .addProcessor('count', noop, 'rekeyed-source')
    .addStateStore(store('counts'), 'count')
    .addSink('rekey-sink', 'orders-by-customer-repartition', { internal: true, partitions: 4 }, 'route')
    .addProcessor('emit-counts', noop, 'count')
    .addSink('counts-sink', 'order-counts', 'emit-counts');
}

/** What Kafka Streams 4.1.2 prints for the same topology built with its Processor API (captured from it). */
export const GOLDEN_TEXT = [
  'Topologies:',
  '   Sub-topology: 0',
  '    Source: orders-source (topics: [orders, returns])',
  '      --> validate',
  '    Processor: validate (stores: [])',
  '      --> enrich, audit',
  '      <-- orders-source',
  '    Processor: enrich (stores: [customers])',
  '      --> route, audit',
  '      <-- validate',
  '    Processor: route (stores: [])',
  '      --> big-orders-sink, rekey-sink, small-orders-sink',
  '      <-- enrich',
  '    Processor: audit (stores: [])',
  '      --> audit-sink',
  '      <-- enrich, validate',
  '    Source: payments-source (topics: [payments])',
  '      --> match',
  '    Sink: audit-sink (topic: audit)',
  '      <-- audit',
  '    Sink: big-orders-sink (topic: big-orders)',
  '      <-- route',
  '    Processor: match (stores: [customers])',
  '      --> none',
  '      <-- payments-source',
  '    Sink: rekey-sink (topic: orders-by-customer-repartition)',
  '      <-- route',
  '    Sink: small-orders-sink (topic: small-orders)',
  '      <-- route',
  '',
  '  Sub-topology: 1',
  '    Source: rekeyed-source (topics: [orders-by-customer-repartition])',
  '      --> count',
  '    Processor: count (stores: [counts])',
  '      --> emit-counts',
  '      <-- rekeyed-source',
  '    Processor: emit-counts (stores: [])',
  '      --> counts-sink',
  '      <-- count',
  '    Sink: counts-sink (topic: order-counts)',
  '      <-- emit-counts',
  '',
  '',
].join('\n');
