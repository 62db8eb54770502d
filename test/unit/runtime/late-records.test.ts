import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Headers } from '../../../src/core/headers.js';
import type { ProcessorContext } from '../../../src/core/processor.js';
import type { Record } from '../../../src/core/record.js';
import type { Serde } from '../../../src/core/serde.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { KafkaClient } from '../../../src/runtime/client/kafka-client.js';
import { LATE_RECORD_HEADERS } from '../../../src/processing/late-record.js';
import type { OutgoingRecord } from '../../../src/processing/record-collector.js';
import { ExactlyOnceCommitter } from '../../../src/runtime/tasks/exactly-once-committer.js';
import { TestRecord, TopologyTestDriver, type TopologyTestDriverConfig } from '../../../src/testing/index.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { Topology } from '../../../src/topology/topology.js';
import { TimeWindows } from '../../../src/windows/time-windows.js';
import { WindowedSerdes } from '../../../src/windows/windowed-serdes.js';
import { FakeTransactionalProducer, lines, runningTask } from './tasks/runtime-fakes.js';
import { processAll, raw, startTask } from './task-harness.js';

const GRACE_MS = 10;

/**
 * Drops a record more than `GRACE_MS` behind stream time, reporting it `reports` times (as a windowed aggregation
 * does for a record late for several windows), and forwards the others; `reportInPunctuation` also reports a drop
 * from every stream-time punctuation, where there is no input record.
 */
function lateCheck(reports = 1, reportInPunctuation = false) {
  return () => {
    let context: ProcessorContext<string, string>;
    return {
      init(ctx: ProcessorContext<string, string>) {
        context = ctx;
        if (reportInPunctuation) context.schedule(1_000, 'stream-time', () => context.recordDropped?.('lateRecord'));
      },
      process(record: Record<string, string>) {
        if (record.timestamp >= context.currentStreamTimeMs() - GRACE_MS) context.forward(record);
        else for (let i = 0; i < reports; i++) context.recordDropped?.('lateRecord');
      },
    };
  };
}

function lateTopology(): Topology {
  return new Topology().addSource('in', 'in').addProcessor('late-check', lateCheck(), 'in').addSink('out', 'out', 'late-check');
}

const strings = Serdes.String() as Serde<unknown>;
const header = (record: { headers: Headers }, key: string) => record.headers.lastHeader(key)?.value?.toString();

describe('late-records topic', () => {
  it('gets the original record of each late drop, with headers naming its coordinates, event time and processor', () => {
    const config: TopologyTestDriverConfig = { defaultKeySerde: strings, defaultValueSerde: strings, lateRecordsTopic: 'late' };
    const driver = new TopologyTestDriver(lateTopology(), config);
    try {
      const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
      input.pipeInput(new TestRecord('a', '1', 100));
      input.pipeInput(new TestRecord('b', '2', 80, Headers.EMPTY.add('trace', 't-2')));
      input.pipeInput(new TestRecord('c', '3', 95));
      assert.deepEqual(driver.createOutputTopic('out', Serdes.String(), Serdes.String()).readValuesToList(), ['1', '3']);
      const late = driver.createOutputTopic('late', Serdes.String(), Serdes.String()).readRecordsToList();
      assert.equal(late.length, 1);
      const [copy] = late;
      assert.deepEqual([copy!.key, copy!.value, copy!.timestamp], ['b', '2', 80]);
      assert.equal(header(copy!, 'trace'), 't-2', 'the original headers come first');
      assert.equal(header(copy!, LATE_RECORD_HEADERS.topic), 'in');
      assert.equal(header(copy!, LATE_RECORD_HEADERS.partition), '0');
      assert.equal(header(copy!, LATE_RECORD_HEADERS.offset), '1');
      assert.equal(header(copy!, LATE_RECORD_HEADERS.timestamp), '80');
      assert.equal(header(copy!, LATE_RECORD_HEADERS.processor), 'late-check');
      assert.equal(driver.metrics().get('0_0')?.droppedRecords.lateRecords, 1);
    } finally {
      driver.close();
    }
  });

  it('gets one copy of a record a hopping windowed count drops, late for all its windows', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(1_000).advanceBy(500))
      .count({ name: 'hopping-count' })
      .toStream()
      .to('out', { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 1_000), valueSerde: Serdes.Long() });
    const config: TopologyTestDriverConfig = { lateRecordsTopic: 'late' };
    const driver = new TopologyTestDriver(builder.build(), config);
    try {
      const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
      input.pipeInput('k', 'on time', 5_000);
      input.pipeInput('k', 'late', 1_200);
      const late = driver.createOutputTopic('late', Serdes.String(), Serdes.String()).readRecordsToList();
      assert.deepEqual(late.map((record) => [record.key, record.value, header(record, LATE_RECORD_HEADERS.processor)]), [['k', 'late', 'hopping-count']]);
      assert.ok((driver.metrics().get('0_0')?.droppedRecords.lateRecords ?? 0) >= 1);
    } finally {
      driver.close();
    }
  });

  it('holds one copy per processor that drops a record, however often it reports it; every report is counted', () => {
    const topology = new Topology()
      .addSource('in', 'in')
      .addProcessor('three-windows', lateCheck(3), 'in')
      .addProcessor('one-window', lateCheck(1), 'in')
      .addSink('out', 'out', 'three-windows', 'one-window');
    const harness = startTask(topology, { lateRecordsTopic: 'late' });
    try {
      harness.task.addRecords({ topic: 'in', partition: 0 }, [raw('in', 0, 100, 'a', '1', 0), raw('in', 0, 50, 'b', '2', 1), raw('in', 0, 40, 'c', '3', 2)]);
      processAll(harness.task);
      const late = harness.sent.filter((record) => record.topic === 'late');
      assert.deepEqual(
        late.map((record) => `${record.key?.toString()} ${header(record, LATE_RECORD_HEADERS.processor)}`),
        ['b three-windows', 'b one-window', 'c three-windows', 'c one-window'],
      );
      assert.equal(harness.task.metrics().droppedRecords.lateRecords, 8);
    } finally {
      harness.close();
    }
  });

  it('is not written without lateRecordsTopic, nor for drops reported inside a punctuation; both are still counted', () => {
    for (const config of [{}, { lateRecordsTopic: 'late' }]) {
      const topology = new Topology().addSource('in', 'in').addProcessor('late-check', lateCheck(1, true), 'in');
      const harness = startTask(topology, config);
      try {
        harness.task.addRecords({ topic: 'in', partition: 0 }, [raw('in', 0, 100, 'a', '1', 0), raw('in', 0, 50, 'b', '2', 1)]);
        processAll(harness.task);
        const expectedCopies = config.lateRecordsTopic === undefined ? [] : ['late b=2@50'];
        assert.deepEqual(harness.sentLines(), expectedCopies);
        assert.equal(harness.task.metrics().droppedRecords.lateRecords, 2, 'one from the punctuation at 0, one for b');
      } finally {
        harness.close();
      }
    }
  });

  it('under exactly-once, the copy is committed in the same transaction as the input offset that consumed it', async () => {
    const producer = new FakeTransactionalProducer();
    const committer = new ExactlyOnceCommitter({ transactionalProducer: () => producer } as unknown as KafkaClient, 'app', 'fail');
    const task = runningTask(lateTopology(), undefined, { lateRecordsTopic: 'late' });
    try {
      await committer.initializeTask(task);
      task.engine.addRecords({ topic: 'in', partition: 0 }, [raw('in', 0, 100, 'a', '1', 0), raw('in', 0, 50, 'b', '2', 1)]);
      processAll(task.engine);
      assert.deepEqual(lines(producer.committed), []);
      assert.deepEqual(await committer.commit([task]), new Map());
      assert.deepEqual(lines(producer.committed), ['out a=1', 'late b=2']);
      assert.deepEqual(producer.committedOffsets.map((o) => o.offset), [2]);
      const copy = producer.committed.find((record: OutgoingRecord) => record.topic === 'late')!;
      assert.equal(header(copy, LATE_RECORD_HEADERS.offset), '1');
    } finally {
      task.close();
    }
  });
});
