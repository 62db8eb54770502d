/**
 * `topology.describe()` texts printed by Kafka Streams 4.1.2 (a throwaway Java main on the classpath of
 * `scripts/parity/java`: each topology below built with the same DSL calls, joiner `(l, r) -> l + "|" + r`, windows
 * `JoinWindows.ofTimeDifferenceWithNoGrace(100ms)`, `StreamJoined.with(String, String, String)` plus the named options).
 */
export const KAFKA_STREAMS_DESCRIBE: { readonly [title: string]: string } = {
  "inner plain": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> KSTREAM-JOINTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> KSTREAM-JOINOTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-JOINOTHER-0000000005 (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-JOINTHIS-0000000004 (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-JOINTHIS-0000000004, KSTREAM-JOINOTHER-0000000005
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- KSTREAM-MERGE-0000000006

`,
  "inner named": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> clicks-this-windowed
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> clicks-other-windowed
    Processor: clicks-other-windowed (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> clicks-other-join
      <-- KSTREAM-SOURCE-0000000001
    Processor: clicks-this-windowed (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> clicks-this-join
      <-- KSTREAM-SOURCE-0000000000
    Processor: clicks-other-join (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> clicks-merge
      <-- clicks-other-windowed
    Processor: clicks-this-join (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> clicks-merge
      <-- clicks-this-windowed
    Processor: clicks-merge (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- clicks-this-join, clicks-other-join
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- clicks-merge

`,
  "inner storeName": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [js-this-join-store])
      --> KSTREAM-JOINTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [js-other-join-store])
      --> KSTREAM-JOINOTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-JOINOTHER-0000000005 (stores: [js-this-join-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-JOINTHIS-0000000004 (stores: [js-other-join-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-JOINTHIS-0000000004, KSTREAM-JOINOTHER-0000000005
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- KSTREAM-MERGE-0000000006

`,
  "inner named storeName": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> clicks-this-windowed
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> clicks-other-windowed
    Processor: clicks-other-windowed (stores: [js-other-join-store])
      --> clicks-other-join
      <-- KSTREAM-SOURCE-0000000001
    Processor: clicks-this-windowed (stores: [js-this-join-store])
      --> clicks-this-join
      <-- KSTREAM-SOURCE-0000000000
    Processor: clicks-other-join (stores: [js-this-join-store])
      --> clicks-merge
      <-- clicks-other-windowed
    Processor: clicks-this-join (stores: [js-other-join-store])
      --> clicks-merge
      <-- clicks-this-windowed
    Processor: clicks-merge (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- clicks-this-join, clicks-other-join
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- clicks-merge

`,
  "left plain": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> KSTREAM-JOINTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [KSTREAM-OUTEROTHER-0000000005-store])
      --> KSTREAM-OUTEROTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-JOINTHIS-0000000004 (stores: [KSTREAM-OUTEROTHER-0000000005-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-OUTEROTHER-0000000005 (stores: [KSTREAM-JOINTHIS-0000000004-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-JOINTHIS-0000000004, KSTREAM-OUTEROTHER-0000000005
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- KSTREAM-MERGE-0000000006

`,
  "left named": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> clicks-this-windowed
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> clicks-other-windowed
    Processor: clicks-other-windowed (stores: [KSTREAM-OUTEROTHER-0000000005-store])
      --> clicks-outer-other-join
      <-- KSTREAM-SOURCE-0000000001
    Processor: clicks-this-windowed (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> clicks-this-join
      <-- KSTREAM-SOURCE-0000000000
    Processor: clicks-outer-other-join (stores: [KSTREAM-JOINTHIS-0000000004-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> clicks-merge
      <-- clicks-other-windowed
    Processor: clicks-this-join (stores: [KSTREAM-OUTEROTHER-0000000005-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> clicks-merge
      <-- clicks-this-windowed
    Processor: clicks-merge (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- clicks-this-join, clicks-outer-other-join
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- clicks-merge

`,
  "left storeName": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [js-this-join-store])
      --> KSTREAM-JOINTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [js-outer-other-join-store])
      --> KSTREAM-OUTEROTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-JOINTHIS-0000000004 (stores: [js-left-shared-join-store, js-outer-other-join-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-OUTEROTHER-0000000005 (stores: [js-left-shared-join-store, js-this-join-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-JOINTHIS-0000000004, KSTREAM-OUTEROTHER-0000000005
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- KSTREAM-MERGE-0000000006

`,
  "left named storeName": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> clicks-this-windowed
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> clicks-other-windowed
    Processor: clicks-other-windowed (stores: [js-outer-other-join-store])
      --> clicks-outer-other-join
      <-- KSTREAM-SOURCE-0000000001
    Processor: clicks-this-windowed (stores: [js-this-join-store])
      --> clicks-this-join
      <-- KSTREAM-SOURCE-0000000000
    Processor: clicks-outer-other-join (stores: [js-left-shared-join-store, js-this-join-store])
      --> clicks-merge
      <-- clicks-other-windowed
    Processor: clicks-this-join (stores: [js-left-shared-join-store, js-outer-other-join-store])
      --> clicks-merge
      <-- clicks-this-windowed
    Processor: clicks-merge (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- clicks-this-join, clicks-outer-other-join
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- clicks-merge

`,
  "outer plain": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-OUTERTHIS-0000000004-store])
      --> KSTREAM-OUTERTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [KSTREAM-OUTEROTHER-0000000005-store])
      --> KSTREAM-OUTEROTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-OUTEROTHER-0000000005 (stores: [KSTREAM-OUTERTHIS-0000000004-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-OUTERTHIS-0000000004 (stores: [KSTREAM-OUTEROTHER-0000000005-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-OUTERTHIS-0000000004, KSTREAM-OUTEROTHER-0000000005
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- KSTREAM-MERGE-0000000006

`,
  "outer named": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> clicks-this-windowed
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> clicks-other-windowed
    Processor: clicks-other-windowed (stores: [KSTREAM-OUTEROTHER-0000000005-store])
      --> clicks-outer-other-join
      <-- KSTREAM-SOURCE-0000000001
    Processor: clicks-this-windowed (stores: [KSTREAM-OUTERTHIS-0000000004-store])
      --> clicks-outer-this-join
      <-- KSTREAM-SOURCE-0000000000
    Processor: clicks-outer-other-join (stores: [KSTREAM-OUTERTHIS-0000000004-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> clicks-merge
      <-- clicks-other-windowed
    Processor: clicks-outer-this-join (stores: [KSTREAM-OUTEROTHER-0000000005-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> clicks-merge
      <-- clicks-this-windowed
    Processor: clicks-merge (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- clicks-outer-this-join, clicks-outer-other-join
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- clicks-merge

`,
  "outer storeName": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [js-outer-this-join-store])
      --> KSTREAM-OUTERTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [js-outer-other-join-store])
      --> KSTREAM-OUTEROTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-OUTEROTHER-0000000005 (stores: [js-outer-shared-join-store, js-outer-this-join-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-OUTERTHIS-0000000004 (stores: [js-outer-shared-join-store, js-outer-other-join-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-OUTERTHIS-0000000004, KSTREAM-OUTEROTHER-0000000005
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- KSTREAM-MERGE-0000000006

`,
  "outer named storeName": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> clicks-this-windowed
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> clicks-other-windowed
    Processor: clicks-other-windowed (stores: [js-outer-other-join-store])
      --> clicks-outer-other-join
      <-- KSTREAM-SOURCE-0000000001
    Processor: clicks-this-windowed (stores: [js-outer-this-join-store])
      --> clicks-outer-this-join
      <-- KSTREAM-SOURCE-0000000000
    Processor: clicks-outer-other-join (stores: [js-outer-shared-join-store, js-outer-this-join-store])
      --> clicks-merge
      <-- clicks-other-windowed
    Processor: clicks-outer-this-join (stores: [js-outer-shared-join-store, js-outer-other-join-store])
      --> clicks-merge
      <-- clicks-this-windowed
    Processor: clicks-merge (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- clicks-outer-this-join, clicks-outer-other-join
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- clicks-merge

`,
  "repartition both": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-KEY-SELECT-0000000001
    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])
      --> KSTREAM-FILTER-0000000005
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-FILTER-0000000005 (stores: [])
      --> KSTREAM-SINK-0000000004
      <-- KSTREAM-KEY-SELECT-0000000001
    Sink: KSTREAM-SINK-0000000004 (topic: KSTREAM-KEY-SELECT-0000000001-repartition)
      <-- KSTREAM-FILTER-0000000005

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000002 (topics: [right])
      --> KSTREAM-MAP-0000000003
    Processor: KSTREAM-MAP-0000000003 (stores: [])
      --> KSTREAM-FILTER-0000000008
      <-- KSTREAM-SOURCE-0000000002
    Processor: KSTREAM-FILTER-0000000008 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-MAP-0000000003
    Sink: KSTREAM-SINK-0000000007 (topic: KSTREAM-MAP-0000000003-repartition)
      <-- KSTREAM-FILTER-0000000008

  Sub-topology: 2
    Source: KSTREAM-SOURCE-0000000006 (topics: [KSTREAM-KEY-SELECT-0000000001-repartition])
      --> KSTREAM-WINDOWED-0000000010
    Source: KSTREAM-SOURCE-0000000009 (topics: [KSTREAM-MAP-0000000003-repartition])
      --> KSTREAM-WINDOWED-0000000011
    Processor: KSTREAM-WINDOWED-0000000010 (stores: [KSTREAM-JOINTHIS-0000000012-store])
      --> KSTREAM-JOINTHIS-0000000012
      <-- KSTREAM-SOURCE-0000000006
    Processor: KSTREAM-WINDOWED-0000000011 (stores: [KSTREAM-JOINOTHER-0000000013-store])
      --> KSTREAM-JOINOTHER-0000000013
      <-- KSTREAM-SOURCE-0000000009
    Processor: KSTREAM-JOINOTHER-0000000013 (stores: [KSTREAM-JOINTHIS-0000000012-store])
      --> KSTREAM-MERGE-0000000014
      <-- KSTREAM-WINDOWED-0000000011
    Processor: KSTREAM-JOINTHIS-0000000012 (stores: [KSTREAM-JOINOTHER-0000000013-store])
      --> KSTREAM-MERGE-0000000014
      <-- KSTREAM-WINDOWED-0000000010
    Processor: KSTREAM-MERGE-0000000014 (stores: [])
      --> KSTREAM-SINK-0000000015
      <-- KSTREAM-JOINTHIS-0000000012, KSTREAM-JOINOTHER-0000000013
    Sink: KSTREAM-SINK-0000000015 (topic: out)
      <-- KSTREAM-MERGE-0000000014

`,
  "repartition left named": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-KEY-SELECT-0000000001
    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])
      --> clicks-left-repartition-filter
      <-- KSTREAM-SOURCE-0000000000
    Processor: clicks-left-repartition-filter (stores: [])
      --> clicks-left-repartition-sink
      <-- KSTREAM-KEY-SELECT-0000000001
    Sink: clicks-left-repartition-sink (topic: clicks-left-repartition)
      <-- clicks-left-repartition-filter

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000002 (topics: [right])
      --> clicks-other-windowed
    Source: clicks-left-repartition-source (topics: [clicks-left-repartition])
      --> clicks-this-windowed
    Processor: clicks-other-windowed (stores: [KSTREAM-OUTEROTHER-0000000009-store])
      --> clicks-outer-other-join
      <-- KSTREAM-SOURCE-0000000002
    Processor: clicks-this-windowed (stores: [KSTREAM-JOINTHIS-0000000008-store])
      --> clicks-this-join
      <-- clicks-left-repartition-source
    Processor: clicks-outer-other-join (stores: [KSTREAM-JOINTHIS-0000000008-store, KSTREAM-OUTERSHARED-0000000008-store])
      --> clicks-merge
      <-- clicks-other-windowed
    Processor: clicks-this-join (stores: [KSTREAM-OUTERSHARED-0000000008-store, KSTREAM-OUTEROTHER-0000000009-store])
      --> clicks-merge
      <-- clicks-this-windowed
    Processor: clicks-merge (stores: [])
      --> KSTREAM-SINK-0000000011
      <-- clicks-this-join, clicks-outer-other-join
    Sink: KSTREAM-SINK-0000000011 (topic: out)
      <-- clicks-merge

`,
  "repartition right named": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> clicks-this-windowed
    Source: clicks-right-repartition-source (topics: [clicks-right-repartition])
      --> clicks-other-windowed
    Processor: clicks-other-windowed (stores: [KSTREAM-OUTEROTHER-0000000009-store])
      --> clicks-outer-other-join
      <-- clicks-right-repartition-source
    Processor: clicks-this-windowed (stores: [KSTREAM-OUTERTHIS-0000000008-store])
      --> clicks-outer-this-join
      <-- KSTREAM-SOURCE-0000000000
    Processor: clicks-outer-other-join (stores: [KSTREAM-OUTERSHARED-0000000008-store, KSTREAM-OUTERTHIS-0000000008-store])
      --> clicks-merge
      <-- clicks-other-windowed
    Processor: clicks-outer-this-join (stores: [KSTREAM-OUTERSHARED-0000000008-store, KSTREAM-OUTEROTHER-0000000009-store])
      --> clicks-merge
      <-- clicks-this-windowed
    Processor: clicks-merge (stores: [])
      --> KSTREAM-SINK-0000000011
      <-- clicks-outer-this-join, clicks-outer-other-join
    Sink: KSTREAM-SINK-0000000011 (topic: out)
      <-- clicks-merge

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-KEY-SELECT-0000000002
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> clicks-right-repartition-filter
      <-- KSTREAM-SOURCE-0000000001
    Processor: clicks-right-repartition-filter (stores: [])
      --> clicks-right-repartition-sink
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: clicks-right-repartition-sink (topic: clicks-right-repartition)
      <-- clicks-right-repartition-filter

`,
  "self join": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000001, KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-WINDOWED-0000000001 (stores: [KSTREAM-JOINTHIS-0000000003-store])
      --> KSTREAM-JOINTHIS-0000000003
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-JOINOTHER-0000000004-store])
      --> KSTREAM-JOINOTHER-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-JOINOTHER-0000000004 (stores: [KSTREAM-JOINTHIS-0000000003-store])
      --> KSTREAM-MERGE-0000000005
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-JOINTHIS-0000000003 (stores: [KSTREAM-JOINOTHER-0000000004-store])
      --> KSTREAM-MERGE-0000000005
      <-- KSTREAM-WINDOWED-0000000001
    Processor: KSTREAM-MERGE-0000000005 (stores: [])
      --> KSTREAM-SINK-0000000006
      <-- KSTREAM-JOINTHIS-0000000003, KSTREAM-JOINOTHER-0000000004
    Sink: KSTREAM-SINK-0000000006 (topic: out)
      <-- KSTREAM-MERGE-0000000005

`,
  "self join repartitioned": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-KEY-SELECT-0000000001
    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])
      --> KSTREAM-FILTER-0000000003
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-FILTER-0000000003 (stores: [])
      --> KSTREAM-SINK-0000000002
      <-- KSTREAM-KEY-SELECT-0000000001
    Sink: KSTREAM-SINK-0000000002 (topic: KSTREAM-KEY-SELECT-0000000001-repartition)
      <-- KSTREAM-FILTER-0000000003

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [KSTREAM-KEY-SELECT-0000000001-repartition])
      --> KSTREAM-WINDOWED-0000000008, KSTREAM-WINDOWED-0000000009
    Processor: KSTREAM-WINDOWED-0000000008 (stores: [KSTREAM-JOINTHIS-0000000010-store])
      --> KSTREAM-JOINTHIS-0000000010
      <-- KSTREAM-SOURCE-0000000004
    Processor: KSTREAM-WINDOWED-0000000009 (stores: [KSTREAM-JOINOTHER-0000000011-store])
      --> KSTREAM-JOINOTHER-0000000011
      <-- KSTREAM-SOURCE-0000000004
    Processor: KSTREAM-JOINOTHER-0000000011 (stores: [KSTREAM-JOINTHIS-0000000010-store])
      --> KSTREAM-MERGE-0000000012
      <-- KSTREAM-WINDOWED-0000000009
    Processor: KSTREAM-JOINTHIS-0000000010 (stores: [KSTREAM-JOINOTHER-0000000011-store])
      --> KSTREAM-MERGE-0000000012
      <-- KSTREAM-WINDOWED-0000000008
    Processor: KSTREAM-MERGE-0000000012 (stores: [])
      --> KSTREAM-SINK-0000000013
      <-- KSTREAM-JOINTHIS-0000000010, KSTREAM-JOINOTHER-0000000011
    Sink: KSTREAM-SINK-0000000013 (topic: out)
      <-- KSTREAM-MERGE-0000000012

`,
  "two joins of one repartitioned stream": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-KEY-SELECT-0000000001
    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])
      --> KSTREAM-FILTER-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-FILTER-0000000004 (stores: [])
      --> KSTREAM-SINK-0000000003
      <-- KSTREAM-KEY-SELECT-0000000001
    Sink: KSTREAM-SINK-0000000003 (topic: KSTREAM-KEY-SELECT-0000000001-repartition)
      <-- KSTREAM-FILTER-0000000004

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000002 (topics: [right])
      --> KSTREAM-WINDOWED-0000000007, KSTREAM-WINDOWED-0000000016
    Source: KSTREAM-SOURCE-0000000005 (topics: [KSTREAM-KEY-SELECT-0000000001-repartition])
      --> KSTREAM-WINDOWED-0000000006, KSTREAM-WINDOWED-0000000015
    Processor: KSTREAM-WINDOWED-0000000006 (stores: [KSTREAM-JOINTHIS-0000000008-store])
      --> KSTREAM-JOINTHIS-0000000008
      <-- KSTREAM-SOURCE-0000000005
    Processor: KSTREAM-WINDOWED-0000000007 (stores: [KSTREAM-JOINOTHER-0000000009-store])
      --> KSTREAM-JOINOTHER-0000000009
      <-- KSTREAM-SOURCE-0000000002
    Processor: KSTREAM-WINDOWED-0000000015 (stores: [KSTREAM-JOINTHIS-0000000017-store])
      --> KSTREAM-JOINTHIS-0000000017
      <-- KSTREAM-SOURCE-0000000005
    Processor: KSTREAM-WINDOWED-0000000016 (stores: [KSTREAM-JOINOTHER-0000000018-store])
      --> KSTREAM-JOINOTHER-0000000018
      <-- KSTREAM-SOURCE-0000000002
    Processor: KSTREAM-JOINOTHER-0000000009 (stores: [KSTREAM-JOINTHIS-0000000008-store])
      --> KSTREAM-MERGE-0000000010
      <-- KSTREAM-WINDOWED-0000000007
    Processor: KSTREAM-JOINOTHER-0000000018 (stores: [KSTREAM-JOINTHIS-0000000017-store])
      --> KSTREAM-MERGE-0000000019
      <-- KSTREAM-WINDOWED-0000000016
    Processor: KSTREAM-JOINTHIS-0000000008 (stores: [KSTREAM-JOINOTHER-0000000009-store])
      --> KSTREAM-MERGE-0000000010
      <-- KSTREAM-WINDOWED-0000000006
    Processor: KSTREAM-JOINTHIS-0000000017 (stores: [KSTREAM-JOINOTHER-0000000018-store])
      --> KSTREAM-MERGE-0000000019
      <-- KSTREAM-WINDOWED-0000000015
    Processor: KSTREAM-MERGE-0000000010 (stores: [])
      --> KSTREAM-SINK-0000000011
      <-- KSTREAM-JOINTHIS-0000000008, KSTREAM-JOINOTHER-0000000009
    Processor: KSTREAM-MERGE-0000000019 (stores: [])
      --> KSTREAM-SINK-0000000020
      <-- KSTREAM-JOINTHIS-0000000017, KSTREAM-JOINOTHER-0000000018
    Sink: KSTREAM-SINK-0000000011 (topic: out)
      <-- KSTREAM-MERGE-0000000010
    Sink: KSTREAM-SINK-0000000020 (topic: out2)
      <-- KSTREAM-MERGE-0000000019

`,
  "two named joins of one repartitioned stream": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-KEY-SELECT-0000000001
    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])
      --> j1-left-repartition-filter, j2-left-repartition-filter
      <-- KSTREAM-SOURCE-0000000000
    Processor: j1-left-repartition-filter (stores: [])
      --> j1-left-repartition-sink
      <-- KSTREAM-KEY-SELECT-0000000001
    Processor: j2-left-repartition-filter (stores: [])
      --> j2-left-repartition-sink
      <-- KSTREAM-KEY-SELECT-0000000001
    Sink: j1-left-repartition-sink (topic: j1-left-repartition)
      <-- j1-left-repartition-filter
    Sink: j2-left-repartition-sink (topic: j2-left-repartition)
      <-- j2-left-repartition-filter

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000002 (topics: [right])
      --> j1-other-windowed
    Source: j1-left-repartition-source (topics: [j1-left-repartition])
      --> j1-this-windowed
    Processor: j1-other-windowed (stores: [KSTREAM-JOINOTHER-0000000010-store])
      --> j1-other-join
      <-- KSTREAM-SOURCE-0000000002
    Processor: j1-this-windowed (stores: [KSTREAM-JOINTHIS-0000000009-store])
      --> j1-this-join
      <-- j1-left-repartition-source
    Processor: j1-other-join (stores: [KSTREAM-JOINTHIS-0000000009-store])
      --> j1-merge
      <-- j1-other-windowed
    Processor: j1-this-join (stores: [KSTREAM-JOINOTHER-0000000010-store])
      --> j1-merge
      <-- j1-this-windowed
    Processor: j1-merge (stores: [])
      --> KSTREAM-SINK-0000000012
      <-- j1-this-join, j1-other-join
    Sink: KSTREAM-SINK-0000000012 (topic: out)
      <-- j1-merge

  Sub-topology: 2
    Source: KSTREAM-SOURCE-0000000003 (topics: [right2])
      --> j2-other-windowed
    Source: j2-left-repartition-source (topics: [j2-left-repartition])
      --> j2-this-windowed
    Processor: j2-other-windowed (stores: [KSTREAM-JOINOTHER-0000000019-store])
      --> j2-other-join
      <-- KSTREAM-SOURCE-0000000003
    Processor: j2-this-windowed (stores: [KSTREAM-JOINTHIS-0000000018-store])
      --> j2-this-join
      <-- j2-left-repartition-source
    Processor: j2-other-join (stores: [KSTREAM-JOINTHIS-0000000018-store])
      --> j2-merge
      <-- j2-other-windowed
    Processor: j2-this-join (stores: [KSTREAM-JOINOTHER-0000000019-store])
      --> j2-merge
      <-- j2-this-windowed
    Processor: j2-merge (stores: [])
      --> KSTREAM-SINK-0000000021
      <-- j2-this-join, j2-other-join
    Sink: KSTREAM-SINK-0000000021 (topic: out2)
      <-- j2-merge

`,
  "chained joins": `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> KSTREAM-JOINTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> KSTREAM-JOINOTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-JOINOTHER-0000000005 (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-JOINTHIS-0000000004 (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-MAPVALUES-0000000007
      <-- KSTREAM-JOINTHIS-0000000004, KSTREAM-JOINOTHER-0000000005
    Processor: KSTREAM-MAPVALUES-0000000007 (stores: [])
      --> KSTREAM-WINDOWED-0000000009
      <-- KSTREAM-MERGE-0000000006
    Source: KSTREAM-SOURCE-0000000008 (topics: [third])
      --> KSTREAM-WINDOWED-0000000010
    Processor: KSTREAM-WINDOWED-0000000009 (stores: [KSTREAM-JOINTHIS-0000000011-store])
      --> KSTREAM-JOINTHIS-0000000011
      <-- KSTREAM-MAPVALUES-0000000007
    Processor: KSTREAM-WINDOWED-0000000010 (stores: [KSTREAM-JOINOTHER-0000000012-store])
      --> KSTREAM-JOINOTHER-0000000012
      <-- KSTREAM-SOURCE-0000000008
    Processor: KSTREAM-JOINOTHER-0000000012 (stores: [KSTREAM-JOINTHIS-0000000011-store])
      --> KSTREAM-MERGE-0000000013
      <-- KSTREAM-WINDOWED-0000000010
    Processor: KSTREAM-JOINTHIS-0000000011 (stores: [KSTREAM-JOINOTHER-0000000012-store])
      --> KSTREAM-MERGE-0000000013
      <-- KSTREAM-WINDOWED-0000000009
    Processor: KSTREAM-MERGE-0000000013 (stores: [])
      --> KSTREAM-SINK-0000000014
      <-- KSTREAM-JOINTHIS-0000000011, KSTREAM-JOINOTHER-0000000012
    Sink: KSTREAM-SINK-0000000014 (topic: out)
      <-- KSTREAM-MERGE-0000000013

`,
};
