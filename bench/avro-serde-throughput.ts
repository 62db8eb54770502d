/**
 * Serialize and deserialize throughput of the Avro serdes (Schema Registry wire format) beside the JSON serde, on one
 * representative record: an order with a 64-bit id, a timestamp, decimals, a uuid, an enum, a nullable field and an
 * array of three line items (Avro ≈ 120 bytes, JSON ≈ 400).
 *
 *   npm run bench:avro                                  # 200,000 records per case, in-process registry
 *   BENCH_RECORDS=50000 npm run bench:avro
 *   SCHEMA_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7 npm run bench:avro   # adds @kafkajs/confluent-schema-registry
 *
 * The serdes ask the registry once per topic and per schema id and then work from their caches, so which registry
 * they use does not change these figures: the in-process one is used unless SCHEMA_REGISTRY_URL is set. With it,
 * the same record is also encoded and decoded by @kafkajs/confluent-schema-registry (async, one promise per record),
 * for comparison. Each case runs once to warm up, then three times; the median run is reported.
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Serdes } from '../src/core/serdes.js';
import type { Serde } from '../src/core/serde.js';
import { AvroSerdes } from '../src/serdes/avro/avro-serdes.js';
import { HttpSchemaRegistry } from '../src/serdes/registry/http-schema-registry.js';
import { LocalSchemaRegistry } from '../src/serdes/registry/local-schema-registry.js';
import { positiveIntegerFromEnv } from './positive-integer-from-env.js';
import { formatCount, machineSummary, printReportTable } from './support/report-table.js';

const RECORDS = positiveIntegerFromEnv('BENCH_RECORDS', 200_000);
const TOPIC = 'orders';

const decimal = (scale: number) => ({ type: 'bytes', logicalType: 'decimal', precision: 12, scale });
const ORDER = {
  type: 'record',
  name: 'Order',
  namespace: 'bench',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'customer', type: 'string' },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'ref', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['PLACED', 'PAID', 'SHIPPED'] } },
    { name: 'total', type: decimal(2) },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'items', type: { type: 'array', items: { type: 'record', name: 'Item', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }, { name: 'price', type: decimal(2) }] } } },
  ],
};
const ORDER_V2 = { ...ORDER, fields: [...ORDER.fields, { name: 'channel', type: 'string', default: 'web' }] };

const items = [
  { sku: 'SKU-10001', qty: 2, price: '19.99' },
  { sku: 'SKU-20417', qty: 1, price: '249.00' },
  { sku: 'SKU-31337', qty: 5, price: '3.50' },
];
const avroOrder = { id: 9_007_199_254_740_993n, customer: 'customer-000042', placedAt: new Date(1_700_000_000_123), ref: '123e4567-e89b-12d3-a456-426614174000', status: 'PAID', total: '305.48', note: 'leave at the door', items };
/** The same order as JSON carries it: a bigint and a Date have no JSON form. */
const jsonOrder = { ...avroOrder, id: '9007199254740993', placedAt: avroOrder.placedAt.toISOString() };

interface Case {
  readonly name: string;
  readonly bytes: number;
  /** Runs the operation `n` times; returns a value so that the work cannot be optimised away. */
  readonly run: (n: number) => unknown | Promise<unknown>;
}

function serdeCases(name: string, serde: Serde<unknown>, value: unknown, reader: Serde<unknown> = serde): Case[] {
  const bytes = serde.serialize(TOPIC, value)!;
  return [
    { name: `${name} serialize`, bytes: bytes.length, run: (n) => { let last; for (let i = 0; i < n; i++) last = serde.serialize(TOPIC, value); return last; } },
    { name: `${name} deserialize`, bytes: bytes.length, run: (n) => { let last; for (let i = 0; i < n; i++) last = reader.deserialize(TOPIC, bytes); return last; } },
  ];
}

async function libraryCases(url: string): Promise<Case[]> {
  const library = new SchemaRegistry({ host: url });
  const { id } = await library.register({ type: 'AVRO' as never, schema: JSON.stringify(ORDER) }, { subject: `bench-library-${Date.now()}-value` });
  // The library's avsc has no logical types here: timestamps are numbers and decimals their bytes; ids must stay below 2^53.
  const plain = { ...avroOrder, id: 42, placedAt: 1_700_000_000_123, total: Buffer.from([0x77, 0x54]), items: items.map((item) => ({ ...item, price: Buffer.from([0x07, 0xcf]) })) };
  const bytes = await library.encode(id, plain);
  return [
    { name: '@kafkajs/confluent-schema-registry encode', bytes: bytes.length, run: async (n) => { let last; for (let i = 0; i < n; i++) last = await library.encode(id, plain); return last; } },
    { name: '@kafkajs/confluent-schema-registry decode', bytes: bytes.length, run: async (n) => { let last; for (let i = 0; i < n; i++) last = await library.decode(bytes); return last; } },
  ];
}

async function timed(run: Case['run'], n: number): Promise<number> {
  const start = process.hrtime.bigint();
  await run(n);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const url = process.env.SCHEMA_REGISTRY_URL;
  const registry = url ? new HttpSchemaRegistry({ url }) : new LocalSchemaRegistry();
  const specific = AvroSerdes.specific<unknown>(ORDER, { registry });
  const writtenV1 = specific.serialize(TOPIC, avroOrder);
  const cases: Case[] = [
    ...serdeCases('Avro specific', specific, avroOrder),
    ...serdeCases('Avro generic', AvroSerdes.generic<unknown>({ registry, schema: ORDER }), avroOrder),
    { name: 'Avro specific deserialize, v1 → v2 reader', bytes: writtenV1!.length, run: (n) => { const v2 = AvroSerdes.specific<unknown>(ORDER_V2, { registry }); let last; for (let i = 0; i < n; i++) last = v2.deserialize(TOPIC, writtenV1); return last; } },
    ...serdeCases('JSON', Serdes.Json<unknown>(), jsonOrder),
    ...(url ? await libraryCases(url) : []),
  ];
  console.log(`Avro and JSON serde throughput: ${formatCount(RECORDS)} records per run, median of 3 after a warm-up; registry: ${url ?? 'in-process'}`);
  console.log(`machine: ${machineSummary()}`);
  const rows: string[][] = [];
  for (const c of cases) {
    await c.run(Math.min(RECORDS, 20_000));
    const seconds = [await timed(c.run, RECORDS), await timed(c.run, RECORDS), await timed(c.run, RECORDS)].sort((a, b) => a - b)[1]!;
    rows.push([c.name, String(c.bytes), formatCount(RECORDS / seconds), (seconds * 1e6 / RECORDS).toFixed(2)]);
  }
  printReportTable(['case', 'bytes', 'records/s', 'µs/record'], rows);
  if (registry instanceof HttpSchemaRegistry) registry.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
