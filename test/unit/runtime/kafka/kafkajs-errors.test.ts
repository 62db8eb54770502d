import assert from 'node:assert/strict';
import { test } from 'node:test';
import kafkajs from 'kafkajs';
import { BrokerFailure, isRetriable } from '../../../../src/runtime/client/broker-failure.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import { classifyBrokerFailures, classifyFailures, isRetriableKafkaError } from '../../../../src/runtime/kafka/kafkajs-errors.js';

// kafkajs is CommonJS: Node sees its error classes only on the default export.
const { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } = kafkajs;

/** A broker answer as kafkajs decodes it (its `retriable` flag as kafkajs' table has it). */
function answer(type: string, retriable: boolean): Error {
  return new KafkaJSProtocolError({ message: `broker says ${type}`, type, code: 0, retriable } as unknown as Error);
}

const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092', code: 'ECONNREFUSED' });

test('what a broker restart or a coordinator move answers is retriable, also where kafkajs calls it final', () => {
  for (const type of ['NOT_COORDINATOR_FOR_GROUP', 'GROUP_LOAD_IN_PROGRESS', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'LEADER_NOT_AVAILABLE', 'REQUEST_TIMED_OUT']) {
    assert.equal(isRetriableKafkaError(answer(type, true)), true, type);
  }
  assert.equal(isRetriableKafkaError(answer('CONCURRENT_TRANSACTIONS', false)), true);
  assert.equal(isRetriableKafkaError(refused), true);
  assert.equal(isRetriableKafkaError(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 4000 } as never)), true);
  assert.equal(isRetriableKafkaError(Object.assign(new Error('Failed to find group coordinator'), { name: 'KafkaJSGroupCoordinatorNotFound' })), true, 'every broker unreachable');
  assert.equal(isRetriableKafkaError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), true);
});

test('fencing, refused records, authorization and misuse are not retriable', () => {
  for (const type of ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'MESSAGE_TOO_LARGE', 'UNKNOWN_TOPIC_OR_PARTITION', 'GROUP_AUTHORIZATION_FAILED']) {
    assert.equal(isRetriableKafkaError(answer(type, false)), false, type);
  }
  assert.equal(isRetriableKafkaError(new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first')), false);
  assert.equal(isRetriableKafkaError(new TypeError('x is undefined')), false);
});

test('admin and consumer failures become BrokerFailures that say whether to retry; producer failures keep their kind', async () => {
  await assert.rejects(classifyBrokerFailures('reading committed offsets', () => Promise.reject(answer('GROUP_LOAD_IN_PROGRESS', true))), (error: unknown) => {
    assert.ok(error instanceof BrokerFailure && isRetriable(error));
    assert.equal(error.message, 'reading committed offsets failed (GROUP_LOAD_IN_PROGRESS): broker says GROUP_LOAD_IN_PROGRESS');
    return true;
  });
  await assert.rejects(classifyFailures('commit', () => Promise.reject(refused)), (error: unknown) => error instanceof ProductionFailure && error.kind === 'other' && isRetriable(error));
  await assert.rejects(classifyFailures('begin', () => Promise.reject(answer('PRODUCER_FENCED', false))), (error: unknown) => error instanceof ProductionFailure && error.kind === 'fenced' && !isRetriable(error));
  await assert.rejects(classifyFailures('send', () => Promise.reject(answer('MESSAGE_TOO_LARGE', false))), (error: unknown) => error instanceof ProductionFailure && error.kind === 'record' && !isRetriable(error));
});
