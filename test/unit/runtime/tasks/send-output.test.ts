import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamsError } from '../../../../src/core/errors.js';
import { Headers } from '../../../../src/core/headers.js';
import type { WrittenOffsets } from '../../../../src/runtime/client/kafka-client.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import type { OutgoingRecord } from '../../../../src/processing/record-collector.js';
import type { ProductionErrorContext, ProductionExceptionHandler } from '../../../../src/runtime/tasks/production-exception-handler.js';
import { sendOneByOne, sendOutput, type OutputOwner } from '../../../../src/runtime/tasks/send-output.js';
import { FakeLog, lines, RecordingLogger } from './runtime-fakes.js';

const record = (topic: string, value: string, partition?: number): OutgoingRecord => ({
  topic,
  key: Buffer.from('k'),
  value: Buffer.from(value),
  headers: Headers.EMPTY,
  timestamp: 7,
  ...(partition === undefined ? {} : { partition }),
});

function setUp() {
  const log = new FakeLog();
  log.refuses = (r) => r.value?.toString() === 'bad';
  const written: OutgoingRecord[] = [];
  const sends: number[] = [];
  const send = async (records: readonly OutgoingRecord[]): Promise<WrittenOffsets> => {
    sends.push(records.length);
    return log.write(records, written);
  };
  const logger = new RecordingLogger();
  const owner = { id: '0_0', logger, dropped: 0, countProductionError: () => owner.dropped++, engine: { notifyRefusedOutput: () => false } };
  return { send, written, sends, logger, owner: owner as OutputOwner & { dropped: number } };
}

test('a batch the broker accepts is sent once, and the offsets it wrote are returned', async () => {
  const { send, sends, owner } = setUp();
  const written = await sendOutput(send, [record('out', 'a'), record('out', 'b'), record('other', 'c', 1)], owner, 'fail');
  assert.deepEqual(sends, [3]);
  assert.deepEqual(Object.fromEntries(written), { 'out:0': 1, 'other:1': 0 });
});

test("'continue' drops each refused record alone: counted and logged with the output's coordinates, never its key or value", async () => {
  const { send, written, sends, logger, owner } = setUp();
  await sendOutput(send, [record('out', 'a'), record('out', 'bad', 2), record('other', 'c')], owner, 'continue');
  assert.deepEqual(sends, [3, 1, 1, 1]);
  assert.deepEqual(lines(written), ['out k=a', 'other k=c', 'out k=a', 'other k=c'], 'at-least-once writes the accepted batches twice');
  assert.equal(owner.dropped, 1);
  const warning = logger.entries.find((e) => e.level === 'warn')!;
  assert.equal(warning.message, 'dropping output record the broker refused');
  assert.deepEqual(Object.keys(warning.fields).sort(), ['deadLettered', 'error', 'outputPartition', 'outputTopic', 'taskId']);
  assert.deepEqual({ ...warning.fields, error: undefined }, { outputTopic: 'out', outputPartition: 2, taskId: '0_0', error: undefined, deadLettered: false });
});

test("'fail' fails with PRODUCTION_FAILED caused by the broker's refusal", async () => {
  const { send, owner } = setUp();
  await assert.rejects(sendOutput(send, [record('out', 'bad')], owner, 'fail'), (error: unknown) => {
    return error instanceof StreamsError && error.code === 'PRODUCTION_FAILED' && error.cause instanceof ProductionFailure && /to topic out:/.test(error.message);
  });
  assert.equal(owner.dropped, 0);
});

test('a handler function decides per refused record and sees its coordinates; anything but continue fails', async () => {
  const seen: ProductionErrorContext[] = [];
  const decideByTopic: ProductionExceptionHandler = (context) => {
    seen.push(context);
    return context.topic === 'skippable' ? 'continue' : ('retry' as never);
  };
  const { send, written, owner } = setUp();
  const { accepted } = await sendOneByOne(send, [record('skippable', 'bad', 1), record('out', 'a')], owner, decideByTopic);
  assert.deepEqual(lines(accepted), ['out k=a']);
  assert.deepEqual(lines(written), ['out k=a']);
  assert.deepEqual(
    seen.map(({ taskId, topic, partition, timestamp, input }) => ({ taskId, topic, partition, timestamp, input })),
    [{ taskId: '0_0', topic: 'skippable', partition: 1, timestamp: 7, input: null }],
  );
  assert.ok(seen[0]!.error instanceof ProductionFailure);
  await assert.rejects(sendOneByOne(send, [record('out', 'bad')], owner, decideByTopic), (error: unknown) => error instanceof StreamsError && error.code === 'PRODUCTION_FAILED');
});

test('a throwing handler fails with PRODUCTION_FAILED caused by its error', async () => {
  const { send, owner } = setUp();
  const broken = new Error('handler bug');
  const handler: ProductionExceptionHandler = () => {
    throw broken;
  };
  await assert.rejects(sendOutput(send, [record('out', 'bad')], owner, handler), (error: unknown) => error instanceof StreamsError && error.code === 'PRODUCTION_FAILED' && error.cause === broken);
});

test('failures other than refused records propagate unchanged, without asking the handler', async () => {
  const { owner } = setUp();
  const fenced = new ProductionFailure('fenced', 'fenced');
  let asked = false;
  const send = async (): Promise<WrittenOffsets> => {
    throw fenced;
  };
  await assert.rejects(sendOutput(send, [record('out', 'a')], owner, () => ((asked = true), 'continue')), (error: unknown) => error === fenced);
  assert.equal(asked, false);
});
