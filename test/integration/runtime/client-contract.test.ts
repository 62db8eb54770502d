import { describe } from 'node:test';
import { clientContract } from '../../contract/client-contract.js';
import { brokerContractTarget } from '../support/broker-contract-target.js';
import { CLIENT_KINDS } from '../support/test-client.js';

/**
 * The client contract on the real broker through each client adapter, whatever KSTREAMS_CLIENT says (the unit tests
 * run the same tests on the in-memory cluster). What is committed is read by Kafka's own Java consumer.
 */
for (const kind of CLIENT_KINDS) {
  describe(`the ${kind} adapter`, () => {
    clientContract(brokerContractTarget(kind));
  });
}
