import { Serdes, StreamsBuilder } from '../../../src/index.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import type { JoinOutputRecord, JoinScenario, JoinScenarioResult, JoinSpec, JoinType } from './join-scenario.js';


type TopologyOf<T extends JoinType> = (builder: StreamsBuilder, join: Extract<JoinSpec, { type: T }>) => void;

/**
 * Our side of each join type, building what JoinParity.java builds in Kafka Streams. A type without an entry is
 * not built here yet; the parity run says so and leaves its scenarios out.
 */
const TOPOLOGIES: { readonly [T in JoinType]?: TopologyOf<T> } = {};

export function joinTypesBuilt(): JoinType[] {
  return Object.keys(TOPOLOGIES) as JoinType[];
}

/** Runs a scenario through our `TopologyTestDriver` with the topology JoinParity.java builds in Kafka Streams. */
export function runJoinOnKstreams(scenario: JoinScenario): JoinScenarioResult {
  try {
    const builder = new StreamsBuilder();
    const topology = TOPOLOGIES[scenario.join.type] as TopologyOf<JoinType> | undefined;
    if (topology === undefined) throw new Error(`${scenario.join.type} joins are not built`);
    topology(builder, scenario.join);
    const driver = new TopologyTestDriver(builder.build(), { applicationId: 'parity' }, 0);
    try {
      const inputs = {
        left: driver.createInputTopic('left', Serdes.String(), Serdes.String()),
        right: driver.createInputTopic('right', Serdes.String(), Serdes.String()),
      };
      for (const { topic, key, value, timestamp } of scenario.records) inputs[topic].pipeInput(key, value, timestamp);
      const records = driver
        .createOutputTopic('out', Serdes.String(), Serdes.String())
        .readRecordsToList()
        .map((record): JoinOutputRecord => ({ key: record.key ?? null, value: record.value ?? null, timestamp: record.timestamp! }));
      let droppedRecords = 0;
      for (const metrics of driver.metrics().values()) droppedRecords += metrics.droppedRecords.total;
      return { name: scenario.name, records, droppedRecords };
    } finally {
      driver.close();
    }
  } catch (error) {
    return { name: scenario.name, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
