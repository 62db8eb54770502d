import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildOrdersByStatusTopology, ORDERS_BY_STATUS_TOPICS, STATUS_COUNTS_STORE } from '../../../examples/orders-by-status-cdc.js';
import { Serdes } from '../../../src/index.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { recorded } from '../cdc/debezium-fixtures.js';

it('counts orders per status from recorded Debezium changes, moving an order when its status changes', () => {
  const driver = new TopologyTestDriver(buildOrdersByStatusTopology());
  try {
    const input = driver.createInputTopic(ORDERS_BY_STATUS_TOPICS.orders, Serdes.String(), Serdes.String());
    const changes = recorded('plain');
    for (const change of [...changes, ...changes.slice(2)]) input.pipeInput(change.key, change.value, 1);
    const counts = driver.createOutputTopic(ORDERS_BY_STATUS_TOPICS.output, Serdes.String(), Serdes.Long()).readKeyValuesToList();
    assert.deepEqual(
      counts.map(({ key, value }) => `${key}=${value}`),
      // Two snapshot rows and an insert; alice pays; bob's order is deleted. Carol's new note takes her out of `new`
      // and puts her back; the count's cache merges the two into one update.
      ['new=1', 'new=2', 'new=3', 'new=2', 'paid=1', 'new=1', 'new=1'],
    );
    const store = driver.getKeyValueStore<string, number>(STATUS_COUNTS_STORE)!;
    assert.deepEqual([store.get('new'), store.get('paid')], [1, 1], 'the replayed changes counted nothing twice');
  } finally {
    driver.close();
  }
});
