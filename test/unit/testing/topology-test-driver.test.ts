import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TestRecord, TopologyTestDriver } from '../../../src/testing/index.js';
import { countingTopology } from './counting-topology.js';

function outputsAfterEachInput(driver: TopologyTestDriver, inputs: ReadonlyArray<[string, number]>): string[] {
  const input = driver.createInputTopic('events', Serdes.String(), Serdes.String());
  const output = driver.createOutputTopic('counts', Serdes.String(), Serdes.Long());
  const lines: string[] = [];
  for (const [key, timestamp] of inputs) {
    input.pipeInput(key, 'x', timestamp);
    for (const record of output.readRecordsToList()) lines.push(`after ${timestamp}: ${record.key}=${record.value}@${record.timestamp}`);
  }
  return lines;
}

describe('TopologyTestDriver with a stream-time punctuator', () => {
  it('produces what Kafka Streams produces, in order', () => {
    const driver = new TopologyTestDriver(countingTopology(), { applicationId: 'count-app' }, 1_000_000);
    try {
      const inputs: Array<[string, number]> = [
        ['a', 0], ['b', 1000], ['a', 9999], ['c', 10000], ['a', 10001], ['b', 25000], ['a', 25000], ['c', 31000], ['a', 29000], ['d', 75000],
      ];
      assert.deepEqual(outputsAfterEachInput(driver, inputs), [
        'after 0: a=1@0',
        'after 10000: a=2@10000',
        'after 10000: b=1@10000',
        'after 10000: c=1@10000',
        'after 25000: a=3@25000',
        'after 25000: b=2@25000',
        'after 25000: c=1@25000',
        'after 31000: a=4@31000',
        'after 31000: b=2@31000',
        'after 31000: c=2@31000',
        'after 75000: a=5@75000',
        'after 75000: b=2@75000',
        'after 75000: c=2@75000',
        'after 75000: d=1@75000',
      ]);
      assert.deepEqual([...driver.producedTopicNames()].sort(), ['count-app-counts-changelog', 'counts']);
      assert.equal(driver.getKeyValueStore<string, number>('counts')?.get('a'), 5);
    } finally {
      driver.close();
    }
  });
});

describe('TopologyTestDriver wall-clock punctuation', () => {
  it('fires one interval after start, then once per advance however far it jumps', () => {
    const driver = new TopologyTestDriver(countingTopology(), {}, 1_000_000);
    try {
      driver.createInputTopic('events', Serdes.String(), Serdes.String()).pipeKeyValueList([{ key: 'a', value: 'x' }, { key: 'b', value: 'x' }], 0, 1);
      const output = driver.createOutputTopic('counts', Serdes.String(), Serdes.Long());
      output.readRecordsToList();
      driver.advanceWallClockTime(59_000);
      assert.ok(output.isEmpty());
      driver.advanceWallClockTime(1_000);
      assert.deepEqual(output.readRecord(), new TestRecord('wall', 2, 1_060_000));
      driver.advanceWallClockTime(150_000);
      assert.deepEqual(output.readRecordsToList(), [new TestRecord('wall', 2, 1_210_000)]);
    } finally {
      driver.close();
    }
  });
});

describe('TestInputTopic and TestOutputTopic', () => {
  it('stamps records without a timestamp from the topic clock, auto-advancing', () => {
    const driver = new TopologyTestDriver(countingTopology(), {}, 0);
    try {
      const input = driver.createInputTopic('events', Serdes.String(), Serdes.String(), { startTimestampMs: 5_000, autoAdvanceMs: 5_000 });
      const counts = driver.createOutputTopic('counts', Serdes.String(), Serdes.Long());
      input.pipeInput('a', 'x');
      assert.deepEqual(counts.readRecordsToList(), [new TestRecord('a', 1, 5_000)]);
      input.pipeInput(new TestRecord('b', 'x'));
      assert.deepEqual(counts.readRecordsToList().map((r) => r.timestamp), [10_000, 10_000]);
      input.advanceTime(10_000);
      input.pipeKeyValueList([{ key: 'a', value: 'x' }]);
      assert.equal(counts.getQueueSize(), 2);
      assert.deepEqual(counts.readKeyValue(), { key: 'a', value: 2 });
      assert.deepEqual(counts.readKeyValuesToMap(), new Map([['b', 1]]));
      assert.throws(() => counts.readValue(), /Empty topic: counts/);
      assert.throws(() => driver.createInputTopic('nope', Serdes.String(), Serdes.String()).pipeInput('k', 'v'), /Unknown topic: nope/);
    } finally {
      driver.close();
    }
  });

  it('keeps task databases under stateDir while open and removes them on close', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-driver-'));
    try {
      const driver = new TopologyTestDriver(countingTopology(), { applicationId: 'files', stateDir });
      assert.ok(existsSync(join(stateDir, 'files', '0_0', 'task.sqlite')));
      driver.close();
      assert.ok(!existsSync(join(stateDir, 'files')));
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
