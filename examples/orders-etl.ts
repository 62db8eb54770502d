/**
 * ETL from Postgres to an Avro topic: the `customers` and `orders` tables mirrored through Debezium
 * (`Debezium.table`), each order joined to its customer by the customer id it names (a foreign-key table join),
 * and every enriched order written as Avro in the Schema Registry's wire format, its schema registered under
 * `<output>-value`. An update of a customer re-emits each of its orders; a deleted order becomes a tombstone.
 *
 * With `npm run kafka:start`, `npm run registry:start` and `npm run cdc:start`:
 *
 *   psql "$PG_URL" -c "create table customers (id int primary key, name text not null, tier text not null)"
 *   psql "$PG_URL" -c "create table orders (id int primary key, customer_id int not null, amount numeric(10,2) not null, status text not null)"
 *   kstreams describe examples/orders-etl.ts
 */
import { AvroSerdes, Debezium, StreamsBuilder, type AvroSchema, type Topology } from '../src/index.js';

export interface CustomerRow {
  readonly id: number;
  readonly name: string;
  readonly tier: string;
}

export interface OrderRow {
  readonly id: number;
  readonly customer_id: number;
  /** Debezium writes `numeric` as text with `decimal.handling.mode=string`, as the project's stack sets it. */
  readonly amount: string;
  readonly status: string;
}

/** The output value: an order with its customer's name and tier. */
export interface EnrichedOrder {
  readonly orderId: number;
  readonly customer: string;
  readonly tier: string;
  readonly amount: string;
  readonly status: string;
}

type RowKey = { readonly id: number };

export const ORDER_KEY_SCHEMA: AvroSchema = { type: 'record', name: 'OrderKey', namespace: 'kstreams.examples.etl', fields: [{ name: 'id', type: 'int' }] };

export const ENRICHED_ORDER_SCHEMA: AvroSchema = {
  type: 'record',
  name: 'EnrichedOrder',
  namespace: 'kstreams.examples.etl',
  fields: [
    { name: 'orderId', type: 'int' },
    { name: 'customer', type: 'string' },
    { name: 'tier', type: 'string' },
    { name: 'amount', type: 'string' },
    { name: 'status', type: 'string' },
  ],
};

export interface OrdersEtlTopics {
  /** Debezium's topics of the two tables: `<topic.prefix>.<schema>.<table>`. */
  readonly customers: string;
  readonly orders: string;
  readonly output: string;
}

export const ORDERS_ETL_TOPICS: OrdersEtlTopics = { customers: 'cdc.public.customers', orders: 'cdc.public.orders', output: 'orders-enriched' };

/** `registry`: the Schema Registry's URL (its Confluent-compatible API), or a registry object, as `AvroSerdes` take it. */
export function buildOrdersEtlTopology(registry: Parameters<typeof AvroSerdes.specific>[1]['registry'], topics: OrdersEtlTopics = ORDERS_ETL_TOPICS): Topology {
  const builder = new StreamsBuilder();
  const customers = Debezium.table<RowKey, CustomerRow>(builder, topics.customers, { name: 'customers', storeName: 'customers' });
  Debezium.table<RowKey, OrderRow>(builder, topics.orders, { name: 'orders', storeName: 'orders' })
    .join(
      customers,
      (order): RowKey => ({ id: order.customer_id }),
      (order, customer): EnrichedOrder => ({ orderId: order.id, customer: customer.name, tier: customer.tier, amount: order.amount, status: order.status }),
    )
    .toStream()
    .to(topics.output, {
      keySerde: AvroSerdes.specific<RowKey>(ORDER_KEY_SCHEMA, { registry, isKey: true }),
      valueSerde: AvroSerdes.specific<EnrichedOrder>(ENRICHED_ORDER_SCHEMA, { registry }),
    });
  return builder.build();
}
