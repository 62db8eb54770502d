import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MultipleErrors, NetworkError, ProtocolError, TimeoutError, UserError } from '@platformatic/kafka';
import { BrokerFailure } from '../../../../src/runtime/client/broker-failure.js';
import { isRetriablePlatformaticError } from '../../../../src/runtime/platformatic/platformatic-errors.js';
import { isRetriableReadError, readBrokerFailure } from '../../../../src/runtime/platformatic/platformatic-fetch-errors.js';

describe('platformatic read side failures', () => {
  it('waits out a moving coordinator or leader, also nested in the retries’ errors', () => {
    assert.equal(isRetriableReadError(new ProtocolError('NOT_COORDINATOR')), true);
    assert.equal(isRetriableReadError(new MultipleErrors('fetch failed 4 times.', [new ProtocolError('NOT_LEADER_OR_FOLLOWER'), new ProtocolError('LEADER_NOT_AVAILABLE')])), true);
  });

  it('waits out an unreachable broker and a request timeout, which the library calls final', () => {
    assert.equal(isRetriableReadError(new NetworkError('Connection to 127.0.0.1:9092 failed.', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) })), true);
    assert.equal(isRetriableReadError(new TimeoutError('Request timed out')), true);
  });

  it('does not wait out a refusal, a closed client or our own mistake', () => {
    assert.equal(isRetriableReadError(new ProtocolError('TOPIC_AUTHORIZATION_FAILED')), false);
    assert.equal(isRetriableReadError(new MultipleErrors('m', [new ProtocolError('NOT_COORDINATOR'), new ProtocolError('GROUP_AUTHORIZATION_FAILED')])), false);
    assert.equal(isRetriableReadError(new NetworkError('Client is closed.', { canRetry: false, closed: true })), false);
    assert.equal(isRetriableReadError(new UserError('bad option')), false);
  });

  it('waits out a forgotten member or generation and a lost fetch session, which the write side calls final', () => {
    for (const id of ['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FETCH_SESSION_ID_NOT_FOUND', 'INVALID_FETCH_SESSION_EPOCH']) {
      assert.equal(isRetriableReadError(new MultipleErrors('heartbeat failed 2 times.', [new ProtocolError('NOT_COORDINATOR'), new ProtocolError(id)])), true, id);
      assert.equal(isRetriablePlatformaticError(new ProtocolError(id)), false, id);
    }
  });

  it('names the broker’s answers in the BrokerFailure', () => {
    const failure = readBrokerFailure('committing offsets', new MultipleErrors('commit failed 2 times.', [new ProtocolError('REBALANCE_IN_PROGRESS')]));
    assert.ok(failure instanceof BrokerFailure);
    assert.equal(failure.retriable, true);
    assert.match(failure.message, /^committing offsets failed \(REBALANCE_IN_PROGRESS\): commit failed 2 times\./);
  });
});
