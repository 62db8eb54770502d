/**
 * Orders per status, live from a Postgres table through Debezium: `Debezium.table` mirrors `public.orders` (rows
 * keyed by `{ id }`), and a re-grouping by status counts them. An update that moves an order from `new` to `paid`
 * takes one from `new` and adds one to `paid`; a delete takes the order out of its status. Duplicates a restarted
 * connector sends again change nothing (docs/cdc.md).
 *
 * With `npm run kafka:start` and `npm run cdc:start` (which captures every table of the `demo` database):
 *
 *   psql "$PG_URL" -c "create table orders (id int primary key, customer text, amount numeric(10,2), status text)"
 *   kstreams describe examples/orders-by-status-cdc.ts
 */
import { Debezium, KeyValue, Serdes, StreamsBuilder, type Topology } from '../src/index.js';

export interface OrderRow {
  readonly id: number;
  readonly customer: string;
  readonly amount: string;
  readonly status: string;
}

export interface OrdersByStatusTopics {
  /** Debezium's topic of the table: `<topic.prefix>.<schema>.<table>`. */
  readonly orders: string;
  readonly output: string;
}

export const ORDERS_BY_STATUS_TOPICS: OrdersByStatusTopics = { orders: 'cdc.public.orders', output: 'orders-by-status' };
export const ORDERS_STORE = 'orders';
export const STATUS_COUNTS_STORE = 'orders-by-status';

export function buildOrdersByStatusTopology(topics: OrdersByStatusTopics = ORDERS_BY_STATUS_TOPICS): Topology {
  const builder = new StreamsBuilder();
  Debezium.table<{ id: number }, OrderRow>(builder, topics.orders, { name: 'orders', storeName: ORDERS_STORE })
    .groupBy((_key, order) => KeyValue.pair(order.status, order), { name: 'by-status', keySerde: Serdes.String(), valueSerde: Serdes.Json<OrderRow>() })
    .count({ storeName: STATUS_COUNTS_STORE })
    .toStream()
    .to(topics.output, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}

export const topology = buildOrdersByStatusTopology();
