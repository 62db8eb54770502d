import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { KeyValue } from '../../../src/state/key-value.js';
import type { KTable } from '../../../src/topology/dsl/dsl-api.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';

const c = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const fk = (value: string): string => value.split('/')[0]!;
const j = (a: string, b: string | null): string => `${a}+${String(b)}`;

function describeJoin(join: (b: StreamsBuilder) => KTable<string, string>): string {
  const b = new StreamsBuilder();
  join(b).toStream().to('out');
  return formatTopologyText(b.build().describe());
}

function describeBuilt(build: (b: StreamsBuilder) => void): string {
  const b = new StreamsBuilder();
  build(b);
  return formatTopologyText(b.build().describe());
}

/**
 * Golden texts printed by Kafka Streams 4.1.2's `Topology.describe()` for the same DSL calls (a throwaway Java main on
 * the classpath of `scripts/parity/java`: `StreamsBuilder.table` + `KTable.join/leftJoin(other, Function, joiner)` with
 * the equivalent `TableJoined`/`Materialized`, then `toStream().to("out")`), copied verbatim.
 */
describe('foreign-key join describe() matches Kafka Streams 4.1.2', () => {
  it('an inner join: the subscription side with the foreign table, the response side with this table', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).join(b.table('b', c), fk, j)),
      `Topologies:
   Sub-topology: 0
    Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-OUTPUT-0000000018
      <-- KTABLE-SOURCE-0000000016
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [])
      --> KTABLE-TOSTREAM-0000000020
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])
      --> KTABLE-SINK-0000000008
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-TOSTREAM-0000000020 (stores: [])
      --> KSTREAM-SINK-0000000021
      <-- KTABLE-FK-JOIN-OUTPUT-0000000018
    Sink: KSTREAM-SINK-0000000021 (topic: out)
      <-- KTABLE-TOSTREAM-0000000020
    Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012
      <-- KTABLE-SOURCE-0000000009
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-SOURCE-0000000005
    Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013

`,
    );
  });

  it('a left join: the same topology', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).leftJoin(b.table('b', c), fk, j)),
      `Topologies:
   Sub-topology: 0
    Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-OUTPUT-0000000018
      <-- KTABLE-SOURCE-0000000016
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [])
      --> KTABLE-TOSTREAM-0000000020
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])
      --> KTABLE-SINK-0000000008
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-TOSTREAM-0000000020 (stores: [])
      --> KSTREAM-SINK-0000000021
      <-- KTABLE-FK-JOIN-OUTPUT-0000000018
    Sink: KSTREAM-SINK-0000000021 (topic: out)
      <-- KTABLE-TOSTREAM-0000000020
    Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012
      <-- KTABLE-SOURCE-0000000009
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-SOURCE-0000000005
    Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013

`,
    );
  });

  it('TableJoined.as("fk"): every node, topic and the subscription store named after it', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).join(b.table('b', c), fk, j, { name: 'fk' })),
      `Topologies:
   Sub-topology: 0
    Source: fk-subscription-response-source (topics: [fk-subscription-response-topic])
      --> fk-subscription-response-resolver
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: fk-subscription-response-resolver (stores: [a-STATE-STORE-0000000000])
      --> fk-result
      <-- fk-subscription-response-source
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> fk-subscription-registration-processor
      <-- KSTREAM-SOURCE-0000000001
    Processor: fk-result (stores: [])
      --> KTABLE-TOSTREAM-0000000020
      <-- fk-subscription-response-resolver
    Processor: KTABLE-TOSTREAM-0000000020 (stores: [])
      --> KSTREAM-SINK-0000000021
      <-- fk-result
    Processor: fk-subscription-registration-processor (stores: [])
      --> fk-subscription-registration-sink
      <-- KTABLE-SOURCE-0000000002
    Sink: KSTREAM-SINK-0000000021 (topic: out)
      <-- KTABLE-TOSTREAM-0000000020
    Sink: fk-subscription-registration-sink (topic: fk-subscription-registration-topic)
      <-- fk-subscription-registration-processor

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Source: fk-subscription-registration-source (topics: [fk-subscription-registration-topic])
      --> fk-subscription-receive
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> fk-foreign-join-subscription
      <-- KSTREAM-SOURCE-0000000004
    Processor: fk-subscription-receive (stores: [fk-subscription-store])
      --> fk-subscription-join-foreign
      <-- fk-subscription-registration-source
    Processor: fk-foreign-join-subscription (stores: [fk-subscription-store])
      --> fk-subscription-response-sink
      <-- KTABLE-SOURCE-0000000005
    Processor: fk-subscription-join-foreign (stores: [b-STATE-STORE-0000000003])
      --> fk-subscription-response-sink
      <-- fk-subscription-receive
    Sink: fk-subscription-response-sink (topic: fk-subscription-response-topic)
      <-- fk-subscription-join-foreign, fk-foreign-join-subscription

`,
    );
  });

  it('Materialized.as("fk-store"): the result keeps the named store, no index burnt for it', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).join(b.table('b', c), fk, j, { storeName: 'fk-store', valueSerde: Serdes.String() })),
      `Topologies:
   Sub-topology: 0
    Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-OUTPUT-0000000018
      <-- KTABLE-SOURCE-0000000016
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [fk-store])
      --> KTABLE-TOSTREAM-0000000019
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])
      --> KTABLE-SINK-0000000008
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-TOSTREAM-0000000019 (stores: [])
      --> KSTREAM-SINK-0000000020
      <-- KTABLE-FK-JOIN-OUTPUT-0000000018
    Sink: KSTREAM-SINK-0000000020 (topic: out)
      <-- KTABLE-TOSTREAM-0000000019
    Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012
      <-- KTABLE-SOURCE-0000000009
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-SOURCE-0000000005
    Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013

`,
    );
  });

  it('a named left join with a named store', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).leftJoin(b.table('b', c), fk, j, { name: 'fk', storeName: 'fk-store', valueSerde: Serdes.String() })),
      `Topologies:
   Sub-topology: 0
    Source: fk-subscription-response-source (topics: [fk-subscription-response-topic])
      --> fk-subscription-response-resolver
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: fk-subscription-response-resolver (stores: [a-STATE-STORE-0000000000])
      --> fk-result
      <-- fk-subscription-response-source
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> fk-subscription-registration-processor
      <-- KSTREAM-SOURCE-0000000001
    Processor: fk-result (stores: [fk-store])
      --> KTABLE-TOSTREAM-0000000019
      <-- fk-subscription-response-resolver
    Processor: KTABLE-TOSTREAM-0000000019 (stores: [])
      --> KSTREAM-SINK-0000000020
      <-- fk-result
    Processor: fk-subscription-registration-processor (stores: [])
      --> fk-subscription-registration-sink
      <-- KTABLE-SOURCE-0000000002
    Sink: KSTREAM-SINK-0000000020 (topic: out)
      <-- KTABLE-TOSTREAM-0000000019
    Sink: fk-subscription-registration-sink (topic: fk-subscription-registration-topic)
      <-- fk-subscription-registration-processor

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Source: fk-subscription-registration-source (topics: [fk-subscription-registration-topic])
      --> fk-subscription-receive
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> fk-foreign-join-subscription
      <-- KSTREAM-SOURCE-0000000004
    Processor: fk-subscription-receive (stores: [fk-subscription-store])
      --> fk-subscription-join-foreign
      <-- fk-subscription-registration-source
    Processor: fk-foreign-join-subscription (stores: [fk-subscription-store])
      --> fk-subscription-response-sink
      <-- KTABLE-SOURCE-0000000005
    Processor: fk-subscription-join-foreign (stores: [b-STATE-STORE-0000000003])
      --> fk-subscription-response-sink
      <-- fk-subscription-receive
    Sink: fk-subscription-response-sink (topic: fk-subscription-response-topic)
      <-- fk-subscription-join-foreign, fk-foreign-join-subscription

`,
    );
  });

  it('Materialized.with(serdes) without a name keeps no store, unlike the key join', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).join(b.table('b', c), fk, j, { ...c })),
      `Topologies:
   Sub-topology: 0
    Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-OUTPUT-0000000018
      <-- KTABLE-SOURCE-0000000016
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [])
      --> KTABLE-TOSTREAM-0000000020
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])
      --> KTABLE-SINK-0000000008
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-TOSTREAM-0000000020 (stores: [])
      --> KSTREAM-SINK-0000000021
      <-- KTABLE-FK-JOIN-OUTPUT-0000000018
    Sink: KSTREAM-SINK-0000000021 (topic: out)
      <-- KTABLE-TOSTREAM-0000000020
    Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012
      <-- KTABLE-SOURCE-0000000009
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-SOURCE-0000000005
    Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013

`,
    );
  });

  it('filtered tables: looked up through their source stores', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).filter((_k, v) => v.startsWith('x')).join(b.table('b', c).filterNot((_k, v) => v.length === 0), fk, j)),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Source: KTABLE-SOURCE-0000000018 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000016-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000019
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000019 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-OUTPUT-0000000020
      <-- KTABLE-SOURCE-0000000018
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FILTER-0000000003
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-FILTER-0000000003 (stores: [])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000009
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000020 (stores: [])
      --> KTABLE-TOSTREAM-0000000022
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000019
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000009 (stores: [])
      --> KTABLE-SINK-0000000010
      <-- KTABLE-FILTER-0000000003
    Processor: KTABLE-TOSTREAM-0000000022 (stores: [])
      --> KSTREAM-SINK-0000000023
      <-- KTABLE-FK-JOIN-OUTPUT-0000000020
    Sink: KSTREAM-SINK-0000000023 (topic: out)
      <-- KTABLE-TOSTREAM-0000000022
    Sink: KTABLE-SINK-0000000010 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000008-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000009

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000005 (topics: [b])
      --> KTABLE-SOURCE-0000000006
    Processor: KTABLE-SOURCE-0000000006 (stores: [b-STATE-STORE-0000000004])
      --> KTABLE-FILTER-0000000007
      <-- KSTREAM-SOURCE-0000000005
    Source: KTABLE-SOURCE-0000000011 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000008-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
    Processor: KTABLE-FILTER-0000000007 (stores: [])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000015
      <-- KTABLE-SOURCE-0000000006
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000012])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000014
      <-- KTABLE-SOURCE-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000014 (stores: [b-STATE-STORE-0000000004])
      --> KTABLE-SINK-0000000017
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000015 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000012])
      --> KTABLE-SINK-0000000017
      <-- KTABLE-FILTER-0000000007
    Sink: KTABLE-SINK-0000000017 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000016-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000014, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000015

`,
    );
  });

  it('the result joined again on the key: its store is forced, with the generated name', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).join(b.table('b', c), fk, j, { valueSerde: Serdes.String() }).join(b.table('c', c), j)),
      `Topologies:
   Sub-topology: 0
    Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Source: KSTREAM-SOURCE-0000000021 (topics: [c])
      --> KTABLE-SOURCE-0000000022
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-OUTPUT-0000000018
      <-- KTABLE-SOURCE-0000000016
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [KTABLE-FK-JOIN-OUTPUT-STATE-STORE-0000000019])
      --> KTABLE-JOINTHIS-0000000024
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Processor: KTABLE-SOURCE-0000000022 (stores: [c-STATE-STORE-0000000020])
      --> KTABLE-JOINOTHER-0000000025
      <-- KSTREAM-SOURCE-0000000021
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-JOINOTHER-0000000025 (stores: [KTABLE-FK-JOIN-OUTPUT-STATE-STORE-0000000019])
      --> KTABLE-MERGE-0000000023
      <-- KTABLE-SOURCE-0000000022
    Processor: KTABLE-JOINTHIS-0000000024 (stores: [c-STATE-STORE-0000000020])
      --> KTABLE-MERGE-0000000023
      <-- KTABLE-FK-JOIN-OUTPUT-0000000018
    Processor: KTABLE-MERGE-0000000023 (stores: [])
      --> KTABLE-TOSTREAM-0000000026
      <-- KTABLE-JOINTHIS-0000000024, KTABLE-JOINOTHER-0000000025
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])
      --> KTABLE-SINK-0000000008
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-TOSTREAM-0000000026 (stores: [])
      --> KSTREAM-SINK-0000000027
      <-- KTABLE-MERGE-0000000023
    Sink: KSTREAM-SINK-0000000027 (topic: out)
      <-- KTABLE-TOSTREAM-0000000026
    Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012
      <-- KTABLE-SOURCE-0000000009
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-SOURCE-0000000005
    Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013

`,
    );
  });

  it('the foreign table created first', () => {
    assert.equal(
      describeJoin((b) => {
        const other = b.table('b', c);
        return b.table('a', c).join(other, fk, j);
      }),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [b])
      --> KTABLE-SOURCE-0000000002
    Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012
      <-- KTABLE-SOURCE-0000000009
    Processor: KTABLE-SOURCE-0000000002 (stores: [b-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [b-STATE-STORE-0000000000])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-SOURCE-0000000002
    Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013

  Sub-topology: 1
    Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Source: KSTREAM-SOURCE-0000000004 (topics: [a])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [a-STATE-STORE-0000000003])
      --> KTABLE-FK-JOIN-OUTPUT-0000000018
      <-- KTABLE-SOURCE-0000000016
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [])
      --> KTABLE-TOSTREAM-0000000020
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Processor: KTABLE-SOURCE-0000000005 (stores: [a-STATE-STORE-0000000003])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])
      --> KTABLE-SINK-0000000008
      <-- KTABLE-SOURCE-0000000005
    Processor: KTABLE-TOSTREAM-0000000020 (stores: [])
      --> KSTREAM-SINK-0000000021
      <-- KTABLE-FK-JOIN-OUTPUT-0000000018
    Sink: KSTREAM-SINK-0000000021 (topic: out)
      <-- KTABLE-TOSTREAM-0000000020
    Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007

`,
    );
  });

  it('a groupBy on the result forces its store and old values', () => {
    const text = describeBuilt((b) => {
      const joined = b.table('a', c).join(b.table('b', c), fk, j, { valueSerde: Serdes.String() });
      joined.groupBy((k, v) => KeyValue.pair(v, k), c).count().toStream().to('out');
    });
    assert.equal(
      text,
      `Topologies:
   Sub-topology: 0
    Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-OUTPUT-0000000018
      <-- KTABLE-SOURCE-0000000016
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [KTABLE-FK-JOIN-OUTPUT-STATE-STORE-0000000019])
      --> KTABLE-SELECT-0000000020
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])
      --> KTABLE-SINK-0000000008
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-SELECT-0000000020 (stores: [])
      --> KSTREAM-SINK-0000000022
      <-- KTABLE-FK-JOIN-OUTPUT-0000000018
    Sink: KSTREAM-SINK-0000000022 (topic: KTABLE-AGGREGATE-STATE-STORE-0000000021-repartition)
      <-- KTABLE-SELECT-0000000020
    Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012
      <-- KTABLE-SOURCE-0000000009
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-SOURCE-0000000005
    Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013

  Sub-topology: 2
    Source: KSTREAM-SOURCE-0000000023 (topics: [KTABLE-AGGREGATE-STATE-STORE-0000000021-repartition])
      --> KTABLE-AGGREGATE-0000000024
    Processor: KTABLE-AGGREGATE-0000000024 (stores: [KTABLE-AGGREGATE-STATE-STORE-0000000021])
      --> KTABLE-TOSTREAM-0000000025
      <-- KSTREAM-SOURCE-0000000023
    Processor: KTABLE-TOSTREAM-0000000025 (stores: [])
      --> KSTREAM-SINK-0000000026
      <-- KTABLE-AGGREGATE-0000000024
    Sink: KSTREAM-SINK-0000000026 (topic: out)
      <-- KTABLE-TOSTREAM-0000000025

`,
    );
  });

  it('two named joins of the same tables', () => {
    const text = describeBuilt((b) => {
      const a = b.table('a', c);
      const other = b.table('b', c);
      a.join(other, fk, j, { name: 'one' }).toStream().to('out1');
      a.leftJoin(other, fk, j, { name: 'two' }).toStream().to('out2');
    });
    assert.equal(
      text,
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> one-subscription-registration-processor, two-subscription-registration-processor
      <-- KSTREAM-SOURCE-0000000001
    Source: one-subscription-response-source (topics: [one-subscription-response-topic])
      --> one-subscription-response-resolver
    Source: two-subscription-response-source (topics: [two-subscription-response-topic])
      --> two-subscription-response-resolver
    Processor: one-subscription-response-resolver (stores: [a-STATE-STORE-0000000000])
      --> one-result
      <-- one-subscription-response-source
    Processor: two-subscription-response-resolver (stores: [a-STATE-STORE-0000000000])
      --> two-result
      <-- two-subscription-response-source
    Processor: one-result (stores: [])
      --> KTABLE-TOSTREAM-0000000020
      <-- one-subscription-response-resolver
    Processor: two-result (stores: [])
      --> KTABLE-TOSTREAM-0000000036
      <-- two-subscription-response-resolver
    Processor: KTABLE-TOSTREAM-0000000020 (stores: [])
      --> KSTREAM-SINK-0000000021
      <-- one-result
    Processor: KTABLE-TOSTREAM-0000000036 (stores: [])
      --> KSTREAM-SINK-0000000037
      <-- two-result
    Processor: one-subscription-registration-processor (stores: [])
      --> one-subscription-registration-sink
      <-- KTABLE-SOURCE-0000000002
    Processor: two-subscription-registration-processor (stores: [])
      --> two-subscription-registration-sink
      <-- KTABLE-SOURCE-0000000002
    Sink: KSTREAM-SINK-0000000021 (topic: out1)
      <-- KTABLE-TOSTREAM-0000000020
    Sink: KSTREAM-SINK-0000000037 (topic: out2)
      <-- KTABLE-TOSTREAM-0000000036
    Sink: one-subscription-registration-sink (topic: one-subscription-registration-topic)
      <-- one-subscription-registration-processor
    Sink: two-subscription-registration-sink (topic: two-subscription-registration-topic)
      <-- two-subscription-registration-processor

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> two-foreign-join-subscription, one-foreign-join-subscription
      <-- KSTREAM-SOURCE-0000000004
    Source: one-subscription-registration-source (topics: [one-subscription-registration-topic])
      --> one-subscription-receive
    Source: two-subscription-registration-source (topics: [two-subscription-registration-topic])
      --> two-subscription-receive
    Processor: one-subscription-receive (stores: [one-subscription-store])
      --> one-subscription-join-foreign
      <-- one-subscription-registration-source
    Processor: two-subscription-receive (stores: [two-subscription-store])
      --> two-subscription-join-foreign
      <-- two-subscription-registration-source
    Processor: one-foreign-join-subscription (stores: [one-subscription-store])
      --> one-subscription-response-sink
      <-- KTABLE-SOURCE-0000000005
    Processor: one-subscription-join-foreign (stores: [b-STATE-STORE-0000000003])
      --> one-subscription-response-sink
      <-- one-subscription-receive
    Processor: two-foreign-join-subscription (stores: [two-subscription-store])
      --> two-subscription-response-sink
      <-- KTABLE-SOURCE-0000000005
    Processor: two-subscription-join-foreign (stores: [b-STATE-STORE-0000000003])
      --> two-subscription-response-sink
      <-- two-subscription-receive
    Sink: one-subscription-response-sink (topic: one-subscription-response-topic)
      <-- one-subscription-join-foreign, one-foreign-join-subscription
    Sink: two-subscription-response-sink (topic: two-subscription-response-topic)
      <-- two-subscription-join-foreign, two-foreign-join-subscription

`,
    );
  });

  it('a child of this table created before the join is written first', () => {
    const text = describeBuilt((b) => {
      const a = b.table('a', c);
      a.toStream().to('side');
      a.join(b.table('b', c), fk, j).toStream().to('out');
    });
    assert.equal(
      text,
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000009, KTABLE-TOSTREAM-0000000003
      <-- KSTREAM-SOURCE-0000000001
    Source: KTABLE-SOURCE-0000000018 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000016-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000019
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000019 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-OUTPUT-0000000020
      <-- KTABLE-SOURCE-0000000018
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000020 (stores: [])
      --> KTABLE-TOSTREAM-0000000022
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000019
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000009 (stores: [])
      --> KTABLE-SINK-0000000010
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-TOSTREAM-0000000003 (stores: [])
      --> KSTREAM-SINK-0000000004
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-TOSTREAM-0000000022 (stores: [])
      --> KSTREAM-SINK-0000000023
      <-- KTABLE-FK-JOIN-OUTPUT-0000000020
    Sink: KSTREAM-SINK-0000000004 (topic: side)
      <-- KTABLE-TOSTREAM-0000000003
    Sink: KSTREAM-SINK-0000000023 (topic: out)
      <-- KTABLE-TOSTREAM-0000000022
    Sink: KTABLE-SINK-0000000010 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000008-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000009

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000006 (topics: [b])
      --> KTABLE-SOURCE-0000000007
    Source: KTABLE-SOURCE-0000000011 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000008-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000012])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000014
      <-- KTABLE-SOURCE-0000000011
    Processor: KTABLE-SOURCE-0000000007 (stores: [b-STATE-STORE-0000000005])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000015
      <-- KSTREAM-SOURCE-0000000006
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000014 (stores: [b-STATE-STORE-0000000005])
      --> KTABLE-SINK-0000000017
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000015 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000012])
      --> KTABLE-SINK-0000000017
      <-- KTABLE-SOURCE-0000000007
    Sink: KTABLE-SINK-0000000017 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000016-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000014, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000015

`,
    );
  });
});
