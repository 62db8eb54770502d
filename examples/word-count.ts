/**
 * Word count, Kafka Streams' classic first application: counts words across lines of text and writes every
 * updated count to an output topic.
 *
 *   kstreams describe examples/word-count.ts
 */
import { Serdes, StreamsBuilder, type Topology } from '../src/index.js';

export const INPUT_TOPIC = 'streams-plaintext-input';
export const OUTPUT_TOPIC = 'streams-wordcount-output';
/** The store holding the counts, queryable by this name. */
export const COUNTS_STORE = 'counts-store';

export function buildWordCountTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(INPUT_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .flatMapValues((line) => line.toLowerCase().split(/\W+/).filter((word) => word.length > 0))
    // Grouping by word changes the key, so the counts are computed after a repartition topic.
    .groupBy((_key, word) => word, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .count({ storeName: COUNTS_STORE })
    .toStream()
    .to(OUTPUT_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}

export const topology = buildWordCountTopology();
