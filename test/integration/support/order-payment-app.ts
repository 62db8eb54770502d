/**
 * Orders left-joined with their payments within a join window, run as a child process by the stream-stream join
 * crash test so that it can SIGKILL a real process mid-stream.
 *
 * Usage: `node --import tsx test/integration/support/order-payment-app.ts '<OrderPaymentAppConfig as JSON>'` with
 * KAFKA_BROKERS set (the events it prints are described in `crash-app-runner.ts`). Orders come from `input`,
 * payments from `payments`, both keyed by order id with the order number as an Integer value. Each order yields one
 * record on `output`: `paid:<order>:<payment>` when its payment arrives within the window, or `unpaid:<order>` once
 * the window (and its grace) has closed without one.
 */
import { JoinWindows, Serdes, StreamsBuilder } from '../../../src/index.js';
import { runCrashApp, type CrashAppConfig } from './crash-app-runner.js';

export interface OrderPaymentAppConfig extends CrashAppConfig {
  readonly payments: string;
  readonly windowMs: number;
  readonly graceMs: number;
}

runCrashApp((config: OrderPaymentAppConfig) => {
  const builder = new StreamsBuilder();
  const numbered = { keySerde: Serdes.String(), valueSerde: Serdes.Integer() };
  const payments = builder.stream(config.payments, numbered);
  builder
    .stream(config.input, numbered)
    .leftJoin(payments, (order, payment) => (payment === null ? `unpaid:${order}` : `paid:${order}:${payment}`), JoinWindows.ofTimeDifferenceAndGrace(config.windowMs, config.graceMs), {
      keySerde: Serdes.String(),
      valueSerde: Serdes.Integer(),
      otherValueSerde: Serdes.Integer(),
    })
    .to(config.output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
  return builder.build();
});
