/**
 * Orders matched with their payments within 10 minutes (a stream-stream join), and an "unpaid" alert for every
 * order whose 10 minutes passed without a payment (a left join keeps the unmatched orders; Kafka Streams emits them
 * only once their window has closed, so an order paid late in its window never raises a false alert).
 *
 *   kstreams describe examples/order-payments.ts
 */
import { JoinWindows, Serdes, StreamsBuilder, type Topology } from '../src/index.js';

export interface Order {
  readonly customerId: string;
  readonly amount: number;
}

export interface Payment {
  readonly amount: number;
  readonly method: string;
}

export interface PaidOrder {
  readonly orderId: string;
  readonly amount: number;
  readonly method: string;
}

export interface UnpaidAlert {
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
}

export const ORDERS_TOPIC = 'orders';
export const PAYMENTS_TOPIC = 'payments';
export const PAID_TOPIC = 'orders-paid';
export const UNPAID_TOPIC = 'orders-unpaid';

/** A payment counts if it comes at most 10 minutes after its order (or, out of order, 10 minutes before). */
export const PAYMENT_WINDOW = JoinWindows.ofTimeDifferenceAndGrace(10 * 60_000, 30_000);

export function buildOrderPaymentsTopology(): Topology {
  const builder = new StreamsBuilder();
  const orders = builder.stream(ORDERS_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Order>() });
  const payments = builder.stream(PAYMENTS_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Payment>() });
  const joinSerdes = { keySerde: Serdes.String(), valueSerde: Serdes.Json<Order>(), otherValueSerde: Serdes.Json<Payment>() };

  orders
    .join(payments, (order, payment, orderId): PaidOrder => ({ orderId, amount: order.amount, method: payment.method }), PAYMENT_WINDOW, { ...joinSerdes, name: 'match-payments' })
    .to(PAID_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Json<PaidOrder>() });

  orders
    .leftJoin(payments, (order, payment, orderId) => (payment === null ? { orderId, customerId: order.customerId, amount: order.amount } : null), PAYMENT_WINDOW, {
      ...joinSerdes,
      name: 'find-unpaid',
    })
    .filter((_orderId, alert) => alert !== null)
    .mapValues((alert) => alert!)
    .to(UNPAID_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Json<UnpaidAlert>() });
  return builder.build();
}

export const topology = buildOrderPaymentsTopology();
