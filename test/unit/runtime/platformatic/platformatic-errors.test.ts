import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MultipleErrors, NetworkError, ProtocolError, ResponseError, TimeoutError, UserError } from '@platformatic/kafka';
import { BrokerFailure, isRetriable } from '../../../../src/runtime/client/broker-failure.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import {
  brokerAnswers,
  classifyBrokerFailures,
  classifyProductionFailures,
  isConcurrentTransactions,
  isRetriablePlatformaticError,
} from '../../../../src/runtime/platformatic/platformatic-errors.js';

/** A response with failed partitions, as the library's parsers throw it (error codes as Kafka numbers them). */
const response = (...codes: number[]) => new ResponseError(0, 9, Object.fromEntries(codes.map((code, i) => [`/topics/0/partitions/${i}`, [code, null]])), {});
/** What the library's retries leave: every attempt's error. */
const afterRetries = (...errors: Error[]) => new MultipleErrors(`produce failed ${errors.length} times.`, errors);
const refused = new NetworkError('Connection to 127.0.0.1:9092 failed.', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' }) });

test('the broker answers are found wherever the library nests them: retries in retries, partitions of a response', () => {
  // 51 is CONCURRENT_TRANSACTIONS, 10 MESSAGE_TOO_LARGE, 16 NOT_COORDINATOR.
  const nested = afterRetries(new MultipleErrors('Listing consumer group offsets failed.', [afterRetries(response(16), response(51))]), response(10, 10));
  assert.deepEqual(brokerAnswers(nested).sort(), ['CONCURRENT_TRANSACTIONS', 'MESSAGE_TOO_LARGE', 'NOT_COORDINATOR']);
  assert.equal(isConcurrentTransactions(afterRetries(response(51))), true);
  assert.equal(isConcurrentTransactions(response(16)), false);
});

test('coordinator moves, unstable offsets, leader changes, refused connections and request timeouts are retriable', () => {
  for (const id of ['NOT_COORDINATOR', 'COORDINATOR_LOAD_IN_PROGRESS', 'UNSTABLE_OFFSET_COMMIT', 'NOT_LEADER_OR_FOLLOWER', 'CONCURRENT_TRANSACTIONS', 'REQUEST_TIMED_OUT']) {
    assert.equal(isRetriablePlatformaticError(afterRetries(new ProtocolError(id))), true, id);
  }
  assert.equal(isRetriablePlatformaticError(afterRetries(refused, refused)), true);
  // The library calls a request timeout final (canRetry: false); a broker that does not answer in time is waited out.
  assert.equal(isRetriablePlatformaticError(new TimeoutError('Request timed out.')), true);
});

test('fencing, refused records, misuse and a closed client are final; one final answer among retriable ones makes the whole final', () => {
  for (const id of ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'MESSAGE_TOO_LARGE', 'GROUP_AUTHORIZATION_FAILED']) {
    assert.equal(isRetriablePlatformaticError(new ProtocolError(id)), false, id);
  }
  assert.equal(isRetriablePlatformaticError(new UserError('The producer is in use by another transaction.')), false);
  assert.equal(isRetriablePlatformaticError(new NetworkError('Client is closed.', { canRetry: false, closed: true })), false);
  assert.equal(isRetriablePlatformaticError(afterRetries(new ProtocolError('NOT_COORDINATOR'), new ProtocolError('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'))), false);
  assert.equal(isRetriablePlatformaticError(new TypeError('x is undefined')), false);
});

test('producer failures keep the kind the runtime acts on; admin failures say whether to retry, naming the answers', async () => {
  const kindOf = async (error: Error) => {
    const failure = await classifyProductionFailures('send', () => Promise.reject(error)).catch((e: unknown) => e);
    assert.ok(failure instanceof ProductionFailure);
    return [failure.kind, isRetriable(failure)];
  };
  assert.deepEqual(await kindOf(afterRetries(new ProtocolError('PRODUCER_FENCED'))), ['fenced', false]);
  assert.deepEqual(await kindOf(new ProtocolError('INVALID_TXN_STATE')), ['fenced', false]);
  assert.deepEqual(await kindOf(response(10, 10)), ['record', false]);
  assert.deepEqual(await kindOf(afterRetries(refused)), ['other', true]);
  assert.deepEqual(await kindOf(new UserError('There is already an active transaction.')), ['other', false]);

  await assert.rejects(classifyBrokerFailures('reading committed offsets', () => Promise.reject(afterRetries(new ProtocolError('UNSTABLE_OFFSET_COMMIT')))), (error: unknown) => {
    assert.ok(error instanceof BrokerFailure && isRetriable(error));
    assert.match(error.message, /^reading committed offsets failed \(UNSTABLE_OFFSET_COMMIT\): produce failed 1 times\.$/);
    return true;
  });
});
