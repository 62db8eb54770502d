/**
 * Orders joined to their customer by a foreign key: the orders table is keyed by order id and each order names its
 * customer; the customers table is keyed by customer id (and may have another partition count). The result is a
 * table keyed by order id that follows both sides — a customer's new tier reaches all their orders, an order moved
 * to another customer takes that customer's details, and a deleted order or customer deletes the joined row.
 *
 *   kstreams describe examples/orders-with-customers.ts
 */
import { Serdes, StreamsBuilder, type Topology } from '../src/index.js';

export interface Order {
  readonly customerId: string;
  readonly amount: number;
}

export interface Customer {
  readonly name: string;
  readonly tier: string;
}

export interface CustomerOrder {
  readonly customerId: string;
  readonly customer: string;
  readonly tier: string;
  readonly amount: number;
}

export interface OrdersWithCustomersTopics {
  readonly orders: string;
  readonly customers: string;
  readonly output: string;
}

export const ORDERS_WITH_CUSTOMERS_TOPICS: OrdersWithCustomersTopics = { orders: 'orders', customers: 'customers', output: 'customer-orders' };
/** The joined table's store, served to queries. */
export const CUSTOMER_ORDERS_STORE = 'customer-orders';

export function buildOrdersWithCustomersTopology(topics: OrdersWithCustomersTopics = ORDERS_WITH_CUSTOMERS_TOPICS): Topology {
  const builder = new StreamsBuilder();
  const orders = builder.table(topics.orders, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Order>() });
  const customers = builder.table(topics.customers, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Customer>() });
  orders
    .join(
      customers,
      (order) => order.customerId,
      (order, customer): CustomerOrder => ({ customerId: order.customerId, customer: customer.name, tier: customer.tier, amount: order.amount }),
      { name: 'order-customer', storeName: CUSTOMER_ORDERS_STORE, keySerde: Serdes.String(), valueSerde: Serdes.Json<CustomerOrder>() },
    )
    .toStream()
    .to(topics.output, { keySerde: Serdes.String(), valueSerde: Serdes.Json<CustomerOrder>() });
  return builder.build();
}

export const topology = buildOrdersWithCustomersTopology();
