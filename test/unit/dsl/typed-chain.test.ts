import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Processor } from '../../../src/core/processor.js';
import { Serdes } from '../../../src/core/serdes.js';
import { KeyValue } from '../../../src/state/key-value.js';
import type { KStream, KTable } from '../../../src/topology/dsl/dsl-api.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';

/**
 * Compile-time checks: every `@ts-expect-error` below marks a mistyped chain that must not compile. `tsc --noEmit`
 * (part of `npm test`) fails if any of them does compile, since the directive would then be unused.
 */
function mistypedChains(builder: StreamsBuilder): void {
  const orders = builder.stream('orders', { keySerde: Serdes.String(), valueSerde: Serdes.Json<{ amount: number; customer: string }>() });

  // @ts-expect-error values are orders, not strings
  orders.filter((_key, order) => order.startsWith('x'));

  const amounts: KStream<string, number> = orders.mapValues((order) => order.amount);
  // @ts-expect-error mapValues produced numbers
  amounts.mapValues((amount) => amount.toUpperCase());
  // @ts-expect-error a Serde<string> cannot write number values
  amounts.to('amounts', { valueSerde: Serdes.String() });

  const byCustomer = orders.selectKey((_key, order) => order.customer.length);
  // @ts-expect-error the key is now a number
  byCustomer.groupByKey({ keySerde: Serdes.String() });

  const counts: KTable<number, number> = byCustomer.groupByKey().count();
  // @ts-expect-error count() yields a table of numbers, not strings
  const wrong: KTable<number, string> = counts;
  void wrong;

  // @ts-expect-error the aggregator must return the aggregate type
  orders.groupByKey().aggregate(() => 0, (_key, order) => order.customer);

  // @ts-expect-error reduce combines values of the stream's own type
  orders.groupByKey().reduce((total: number, order) => total + order.amount);

  // @ts-expect-error map must return a KeyValue pair
  orders.map((key, order) => [key, order]);

  const table = builder.table('customers', { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  // @ts-expect-error a table's groupBy selects a KeyValue
  table.groupBy((key) => key);
  // @ts-expect-error the subtractor works on the grouped values (strings), not numbers
  table.groupBy((key, name) => KeyValue.pair(name, key)).reduce((a, b) => a + b, (a: number, b: number) => a - b);

  const upperCaser = (): Processor<string, string, string, string> => ({ process: () => undefined });
  // @ts-expect-error the processor expects string values, the stream has orders
  orders.process(upperCaser);

  // @ts-expect-error merging needs the same key and value types
  amounts.merge(orders);
}

describe('typed DSL chains', () => {
  it('types flow through a well-typed chain', () => {
    const builder = new StreamsBuilder();
    const totals: KTable<string, number> = builder
      .stream('orders', { keySerde: Serdes.String(), valueSerde: Serdes.Json<{ amount: number; customer: string }>() })
      .map((_key, order) => KeyValue.pair(order.customer, order.amount))
      .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Long() })
      .reduce((total, amount) => total + amount);
    const labels: KStream<string, string> = totals.toStream().mapValues((total, customer) => `${customer}: ${total}`);
    labels.to('labels', { keySerde: Serdes.String(), valueSerde: Serdes.String() });
    assert.equal(typeof mistypedChains, 'function');
    assert.ok(builder.build());
  });
});
