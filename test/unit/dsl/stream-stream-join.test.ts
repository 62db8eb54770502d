import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import type { KStream } from '../../../src/topology/dsl/dsl-api.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import type { TopologyTestDriverConfig } from '../../../src/testing/topology-test-driver.js';
import { JoinWindows } from '../../../src/windows/join-windows.js';
import { KAFKA_STREAMS_JOIN_SCENARIOS, type JoinScenario } from './stream-stream-join-scenarios.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const joiner = (l: string | null, r: string | null): string => `${l}|${r}`;

function topology(scenario: JoinScenario) {
  const builder = new StreamsBuilder();
  const windows = JoinWindows.ofTimeDifferenceAndGrace(0, scenario.graceMs).after(scenario.afterMs).before(scenario.beforeMs);
  const options = { ...strings, otherValueSerde: Serdes.String(), storeType: scenario.storeType };
  let left = builder.stream('left', strings);
  let result: KStream<string, string>;
  if (scenario.type === 'self') result = left.join(left, joiner, windows, options);
  else {
    if (scenario.type.endsWith('-rekey')) left = left.selectKey((key, value) => (value.startsWith('N') ? null : key)) as KStream<string, string>;
    const right = builder.stream('right', strings);
    const type = scenario.type.replace('-rekey', '');
    if (type === 'inner') result = left.join(right, joiner, windows, options);
    else if (type === 'left') result = left.leftJoin(right, joiner, windows, options);
    else result = left.outerJoin(right, joiner, windows, options);
  }
  result.to('out', strings);
  return builder.build();
}

/** Runs a scenario; outputs as `key value timestamp` (`-` = null), plus the task's dropped-records total. */
function run(scenario: JoinScenario, config: TopologyTestDriverConfig = { outerJoinEmitIntervalMs: 0 }): { outputs: string[]; dropped: number } {
  const driver = new TopologyTestDriver(topology(scenario), config, 0);
  try {
    const left = driver.createInputTopic('left', Serdes.String(), Serdes.String());
    const right = scenario.type === 'self' ? left : driver.createInputTopic('right', Serdes.String(), Serdes.String());
    for (const input of scenario.inputs) {
      const [side, key, value, timestamp] = input.split(' ') as [string, string, string, string];
      (side === 'L' ? left : right).pipeInput(key === '-' ? null : key, value === '-' ? null : value, Number(timestamp));
    }
    const outputs = driver
      .createOutputTopic('out', Serdes.String(), Serdes.String())
      .readRecordsToList()
      .map((record) => `${record.key ?? '-'} ${record.value ?? '-'} ${record.timestamp}`);
    let dropped = 0;
    for (const metrics of driver.metrics().values()) dropped += metrics.droppedRecords.total;
    return { outputs, dropped };
  } finally {
    driver.close();
  }
}

/**
 * Drops we count and Kafka Streams does not: our repartition topics' null-key filter reports each record it drops
 * (no record disappears silently), Kafka Streams' `KStreamFilter` does not count them.
 */
const COUNTED_BY_OUR_REPARTITION_FILTER: { readonly [scenario: string]: number } = { 'inner-null-keys-through-repartition': 1 };

describe('stream-stream joins: the outputs of Kafka Streams 4.1.2 record by record', () => {
  for (const scenario of KAFKA_STREAMS_JOIN_SCENARIOS) {
    it(`${scenario.name} (${scenario.type}, before ${scenario.beforeMs}, after ${scenario.afterMs}, grace ${scenario.graceMs}, ${scenario.storeType})`, () => {
      const { outputs, dropped } = run(scenario);
      assert.deepEqual(outputs, scenario.expected);
      assert.equal(dropped, scenario.dropped + (COUNTED_BY_OUR_REPARTITION_FILTER[scenario.name] ?? 0), 'dropped records');
    });
  }
});
