import { clientContract } from '../../contract/client-contract.js';
import { platformaticReadSideTarget } from '../support/platformatic-hybrid-client.js';

/**
 * The client contract on the real broker with the @platformatic/kafka adapter's group consumer, changelog reader
 * and partition tailer (the rest is kafkajs' until the whole platformatic client exists): its group and reader tests,
 * and the interleaved aborted transactions read through both.
 */
clientContract(platformaticReadSideTarget);
