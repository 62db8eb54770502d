import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { ORDERS_TOPIC, PAID_TOPIC, PAYMENTS_TOPIC, topology, UNPAID_TOPIC, type Order, type PaidOrder, type Payment, type UnpaidAlert } from '../../../examples/order-payments.js';

const minutes = (count: number): number => count * 60_000;

describe('order-payments example', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(topology);
  });
  afterEach(() => driver.close());

  it('matches payments within 10 minutes and alerts on the others once their 10 minutes (and grace) are over', () => {
    const orders = driver.createInputTopic(ORDERS_TOPIC, Serdes.String(), Serdes.Json<Order>());
    const payments = driver.createInputTopic(PAYMENTS_TOPIC, Serdes.String(), Serdes.Json<Payment>());
    const paid = driver.createOutputTopic(PAID_TOPIC, Serdes.String(), Serdes.Json<PaidOrder>());
    const unpaid = driver.createOutputTopic(UNPAID_TOPIC, Serdes.String(), Serdes.Json<UnpaidAlert>());

    orders.pipeInput('o1', { customerId: 'c1', amount: 30 }, minutes(0));
    orders.pipeInput('o2', { customerId: 'c2', amount: 12 }, minutes(1));
    payments.pipeInput('o1', { amount: 30, method: 'card' }, minutes(9));
    // Paid 10 minutes and 1 second after its order: too late to match it.
    payments.pipeInput('o2', { amount: 12, method: 'cash' }, minutes(11) + 1_000);
    assert.deepEqual(paid.readKeyValuesToList(), [{ key: 'o1', value: { orderId: 'o1', amount: 30, method: 'card' } }]);
    assert.deepEqual(unpaid.readValuesToList(), [], 'o2 window has not closed yet: no alert before its 10 minutes and grace');

    // Stream time passes o2's window end (minute 11) plus 30 s of grace. The scan for closed windows runs at most
    // once a second of wall-clock time (as in Kafka Streams), and the driver's clock moves only when told to.
    driver.advanceWallClockTime(1_000);
    orders.pipeInput('o3', { customerId: 'c1', amount: 5 }, minutes(12) + 1);
    assert.deepEqual(unpaid.readKeyValuesToList(), [{ key: 'o2', value: { orderId: 'o2', customerId: 'c2', amount: 12 } }]);
    assert.deepEqual(paid.readValuesToList(), []);
  });
});
