import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MultipleErrors, NetworkError, ProtocolError, TimeoutError, UserError } from '@platformatic/kafka';
import { BrokerFailure } from '../../../../src/runtime/client/broker-failure.js';
import { isRetriablePlatformaticError, platformaticBrokerFailure } from '../../../../src/runtime/platformatic/platformatic-fetch-errors.js';

describe('platformatic failures', () => {
  it('waits out a moving coordinator or leader, also nested in the retries’ errors', () => {
    assert.equal(isRetriablePlatformaticError(new ProtocolError('NOT_COORDINATOR')), true);
    assert.equal(isRetriablePlatformaticError(new MultipleErrors('fetch failed 4 times.', [new ProtocolError('NOT_LEADER_OR_FOLLOWER'), new ProtocolError('LEADER_NOT_AVAILABLE')])), true);
  });

  it('waits out an unreachable broker and a request timeout, which the library calls final', () => {
    assert.equal(isRetriablePlatformaticError(new NetworkError('Connection to 127.0.0.1:9092 failed.', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) })), true);
    assert.equal(isRetriablePlatformaticError(new TimeoutError('Request timed out')), true);
  });

  it('does not wait out a refusal, a closed client or our own mistake', () => {
    assert.equal(isRetriablePlatformaticError(new ProtocolError('TOPIC_AUTHORIZATION_FAILED')), false);
    assert.equal(isRetriablePlatformaticError(new MultipleErrors('m', [new ProtocolError('NOT_COORDINATOR'), new ProtocolError('GROUP_AUTHORIZATION_FAILED')])), false);
    assert.equal(isRetriablePlatformaticError(new NetworkError('Client is closed.', { canRetry: false, closed: true })), false);
    assert.equal(isRetriablePlatformaticError(new UserError('bad option')), false);
  });

  it('names the broker’s answers in the BrokerFailure', () => {
    const failure = platformaticBrokerFailure('committing offsets', new MultipleErrors('commit failed 2 times.', [new ProtocolError('REBALANCE_IN_PROGRESS')]));
    assert.ok(failure instanceof BrokerFailure);
    assert.equal(failure.retriable, true);
    assert.match(failure.message, /^committing offsets failed \(REBALANCE_IN_PROGRESS\): commit failed 2 times\./);
  });
});
