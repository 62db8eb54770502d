import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { CUSTOMER_ORDERS_STORE, ORDERS_WITH_CUSTOMERS_TOPICS as TOPICS, topology, type Customer, type CustomerOrder, type Order } from '../../../examples/orders-with-customers.js';

describe('orders-with-customers example', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(topology);
  });
  afterEach(() => driver.close());

  function topics() {
    return {
      orders: driver.createInputTopic(TOPICS.orders, Serdes.String(), Serdes.Json<Order>()),
      customers: driver.createInputTopic(TOPICS.customers, Serdes.String(), Serdes.Json<Customer>()),
      output: driver.createOutputTopic(TOPICS.output, Serdes.String(), Serdes.Json<CustomerOrder>()),
    };
  }

  it('joins each order with its customer, whichever side comes first, and follows customer updates to every order', () => {
    const { orders, customers, output } = topics();
    orders.pipeInput('o1', { customerId: 'c1', amount: 30 }, 1);
    assert.deepEqual(output.readValuesToList(), [], 'no customer yet: an inner join has no row');
    customers.pipeInput('c1', { name: 'Ada', tier: 'silver' }, 2);
    orders.pipeInput('o2', { customerId: 'c1', amount: 12 }, 3);
    customers.pipeInput('c1', { name: 'Ada', tier: 'gold' }, 4);
    assert.deepEqual(output.readKeyValuesToList(), [
      { key: 'o1', value: { customerId: 'c1', customer: 'Ada', tier: 'silver', amount: 30 } },
      { key: 'o2', value: { customerId: 'c1', customer: 'Ada', tier: 'silver', amount: 12 } },
      { key: 'o1', value: { customerId: 'c1', customer: 'Ada', tier: 'gold', amount: 30 } },
      { key: 'o2', value: { customerId: 'c1', customer: 'Ada', tier: 'gold', amount: 12 } },
    ]);
  });

  it('moves an order to its new customer, and deletes the row when the order or its customer is deleted', () => {
    const { orders, customers, output } = topics();
    customers.pipeInput('c1', { name: 'Ada', tier: 'gold' }, 1);
    customers.pipeInput('c2', { name: 'Bob', tier: 'bronze' }, 2);
    orders.pipeInput('o1', { customerId: 'c1', amount: 30 }, 3);
    orders.pipeInput('o2', { customerId: 'c2', amount: 5 }, 4);
    orders.pipeInput('o1', { customerId: 'c2', amount: 31 }, 5);
    customers.pipeInput('c1', { name: 'Ada', tier: 'platinum' }, 6);
    customers.pipeInput('c2', null, 7);
    orders.pipeInput('o3', { customerId: 'c1', amount: 8 }, 8);
    orders.pipeInput('o3', null, 9);
    assert.deepEqual(output.readKeyValuesToList(), [
      { key: 'o1', value: { customerId: 'c1', customer: 'Ada', tier: 'gold', amount: 30 } },
      { key: 'o2', value: { customerId: 'c2', customer: 'Bob', tier: 'bronze', amount: 5 } },
      { key: 'o1', value: { customerId: 'c2', customer: 'Bob', tier: 'bronze', amount: 31 } },
      // c1's new tier reaches no order: o1 moved to c2.
      { key: 'o1', value: null },
      { key: 'o2', value: null },
      { key: 'o3', value: { customerId: 'c1', customer: 'Ada', tier: 'platinum', amount: 8 } },
      { key: 'o3', value: null },
    ]);
    const store = driver.getKeyValueStore<string, CustomerOrder>(CUSTOMER_ORDERS_STORE)!;
    assert.equal(store.get('o1'), null);
    assert.equal(store.get('o3'), null);
  });
});
