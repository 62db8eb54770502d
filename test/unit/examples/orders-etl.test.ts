import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildOrdersEtlTopology, ENRICHED_ORDER_SCHEMA, ORDER_KEY_SCHEMA, ORDERS_ETL_TOPICS, type EnrichedOrder } from '../../../examples/orders-etl.js';
import { AvroSerdes, LocalSchemaRegistry, Serdes } from '../../../src/index.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

/** A Debezium change as its JSON converter writes it (schemas off): the row's primary key, and the envelope. */
function change(lsn: number, op: 'r' | 'c' | 'u' | 'd', before: object | null, after: object | null): { key: string; value: string } {
  const row = (after ?? before) as { id: number };
  const source = { lsn, ts_ms: 1_700_000_000_000 + lsn, snapshot: op === 'r' ? 'true' : 'false', db: 'demo', schema: 'public' };
  return { key: JSON.stringify({ id: row.id }), value: JSON.stringify({ before, after, source, op, ts_ms: 1_700_000_000_500 + lsn }) };
}

it('joins each mirrored order to its customer and writes it as Avro; a customer update re-emits its orders, a delete is a tombstone', () => {
  const registry = new LocalSchemaRegistry();
  const driver = new TopologyTestDriver(buildOrdersEtlTopology(registry));
  try {
    const customers = driver.createInputTopic(ORDERS_ETL_TOPICS.customers, Serdes.String(), Serdes.String());
    const orders = driver.createInputTopic(ORDERS_ETL_TOPICS.orders, Serdes.String(), Serdes.String());
    const pipe = (topic: typeof customers, { key, value }: { key: string; value: string }) => topic.pipeInput(key, value, 1);
    pipe(customers, change(10, 'r', null, { id: 1, name: 'alice', tier: 'gold' }));
    pipe(customers, change(11, 'r', null, { id: 2, name: 'bob', tier: 'basic' }));
    pipe(orders, change(12, 'r', null, { id: 100, customer_id: 1, amount: '10.50', status: 'new' }));
    pipe(orders, change(13, 'c', null, { id: 101, customer_id: 2, amount: '3.00', status: 'new' }));
    pipe(customers, change(14, 'u', { id: 1, name: 'alice', tier: 'gold' }, { id: 1, name: 'alice', tier: 'platinum' }));
    pipe(orders, change(15, 'd', { id: 101, customer_id: 2, amount: '3.00', status: 'new' }, null));

    const output = driver.createOutputTopic(
      ORDERS_ETL_TOPICS.output,
      AvroSerdes.specific<{ id: number }>(ORDER_KEY_SCHEMA, { registry, isKey: true }),
      AvroSerdes.specific<EnrichedOrder>(ENRICHED_ORDER_SCHEMA, { registry }),
    );
    assert.deepEqual(
      output.readKeyValuesToList().map(({ key, value }) => [key?.id, value === null ? null : `${value.customer}/${value.tier}/${value.amount}`]),
      [
        [100, 'alice/gold/10.50'],
        [101, 'bob/basic/3.00'],
        [100, 'alice/platinum/10.50'],
        [101, null],
      ],
    );
    assert.deepEqual(registry.subjects().sort(), [`${ORDERS_ETL_TOPICS.output}-key`, `${ORDERS_ETL_TOPICS.output}-value`]);
  } finally {
    driver.close();
  }
});
