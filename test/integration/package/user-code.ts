/** What a user of the published package writes: plain files of the temporary project, importing `kstreams`. */

/** Word count, with its counts in a SQLite store (the native module must load). */
export const TOPOLOGY_JS = `import { Serdes, StreamsBuilder } from 'kstreams';

export function topology() {
  const builder = new StreamsBuilder();
  builder
    .stream('lines', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .flatMapValues((line) => line.toLowerCase().split(/\\W+/).filter((word) => word.length > 0))
    .groupBy((_key, word) => word, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .count({ storeName: 'counts' })
    .toStream()
    .to('word-counts', { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}
`;

/** Runs the topology through the test driver and prints what came out, as JSON. */
export const APP_JS = `import { Serdes } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';
import { topology } from './topology.js';

const driver = new TopologyTestDriver(topology());
try {
  const lines = driver.createInputTopic('lines', Serdes.String(), Serdes.String());
  const counts = driver.createOutputTopic('word-counts', Serdes.String(), Serdes.Long());
  lines.pipeInput(null, 'Hello Kafka Streams', 1_000);
  lines.pipeInput(null, 'hello kafka', 2_000);
  const output = counts.readKeyValuesToList();
  const stored = driver.getKeyValueStore('counts').get('kafka');
  console.log(JSON.stringify({ output, stored }));
} finally {
  driver.close();
}
`;

export const EXPECTED_OUTPUT = {
  output: [
    { key: 'hello', value: 1 },
    { key: 'kafka', value: 1 },
    { key: 'streams', value: 1 },
    { key: 'hello', value: 2 },
    { key: 'kafka', value: 2 },
  ],
  stored: 2,
};

/** `kstreams describe topology.js`, Kafka Streams' text format. */
export const EXPECTED_DESCRIPTION = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [lines])
      --> KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> counts-repartition-filter
      <-- KSTREAM-FLATMAPVALUES-0000000001
    Processor: counts-repartition-filter (stores: [])
      --> counts-repartition-sink
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: counts-repartition-sink (topic: counts-repartition)
      <-- counts-repartition-filter

  Sub-topology: 1
    Source: counts-repartition-source (topics: [counts-repartition])
      --> KSTREAM-AGGREGATE-0000000003
    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts])
      --> KTABLE-TOSTREAM-0000000007
      <-- counts-repartition-source
    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])
      --> KSTREAM-SINK-0000000008
      <-- KSTREAM-AGGREGATE-0000000003
    Sink: KSTREAM-SINK-0000000008 (topic: word-counts)
      <-- KTABLE-TOSTREAM-0000000007

`;

/** A TypeScript module (type annotations, so Node cannot load it without stripping them). */
export const TOPOLOGY_TS = `import type { Topology } from 'kstreams';
import { topology as build } from './topology.js';

export const topology: Topology = build();
`;

/** Strict, and the libraries' declarations checked too: only @types/node is there to help. */
export const TSCONFIG_JSON = JSON.stringify({
  compilerOptions: {
    strict: true,
    skipLibCheck: false,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    types: ['node'],
    noEmit: true,
  },
  files: ['typed-app.ts'],
});

/** Uses both entry points; the expected error proves the declarations are real types, not `any`. */
export const TYPED_APP_TS = `import { KafkaStreams, Serdes, StreamsBuilder, type Topology } from 'kstreams';
import { TopologyTestDriver } from 'kstreams/testing';

const builder = new StreamsBuilder();
builder
  .stream('lines', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
  .mapValues((line) => line.length)
  .to('lengths', { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
const topology: Topology = builder.build();

const driver = new TopologyTestDriver(topology);
const lengths = driver.createOutputTopic('lengths', Serdes.String(), Serdes.Long());
export const length: number | null = lengths.readValue();
// @ts-expect-error a Long serde reads numbers
export const wrong: string | null = lengths.readValue();
driver.close();

export const streams = new KafkaStreams(topology, { applicationId: 'typed', bootstrapServers: '127.0.0.1:9092' });
`;
