import type { ForeignKeyJoinNames } from './foreign-key-join-parts.js';
import type { ForeignKeyJoinNode } from './graph-node.js';

/** The part of the naming pass's counter this join uses (`NameCounter` in `name-nodes.ts`). */
interface ForeignKeyJoinNameCounter {
  storeName(prefix: string): string;
  suffixedOrGenerate(userName: string | undefined, suffix: string, prefix: string): string;
}

const FK_JOIN = 'KTABLE-FK-JOIN-';
const REGISTRATION = `${FK_JOIN}SUBSCRIPTION-REGISTRATION-`;
const PROCESSOR = `${FK_JOIN}SUBSCRIPTION-PROCESSOR-`;
const OUTPUT = `${FK_JOIN}OUTPUT-`;

/**
 * `KTableImpl.doJoinOnForeignKey`: every name burns an index, in this order, with `TableJoined`'s name as the base of
 * the suffixed form; the result's store burns one last, unless the user named it (`MaterializedInternal`).
 */
export function nameForeignKeyJoin(node: ForeignKeyJoinNode, counter: ForeignKeyJoinNameCounter) {
  const named = (suffix: string, prefix: string): string => counter.suffixedOrGenerate(node.userName, suffix, prefix);
  const foreignKeyJoin: ForeignKeyJoinNames = {
    subscriptionTopic: `${named('-subscription-registration', REGISTRATION)}-topic`,
    send: named('-subscription-registration-processor', REGISTRATION),
    subscriptionSink: named('-subscription-registration-sink', 'KTABLE-SINK-'),
    subscriptionSource: named('-subscription-registration-source', 'KTABLE-SOURCE-'),
    // A processor-style name (no `STATE-STORE-` infix), as Kafka Streams gives it.
    subscriptionStore: named('-subscription-store', `${FK_JOIN}SUBSCRIPTION-STATE-STORE-`),
    receive: named('-subscription-receive', PROCESSOR),
    joinForeign: named('-subscription-join-foreign', PROCESSOR),
    foreignJoin: named('-foreign-join-subscription', PROCESSOR),
    responseTopic: `${named('-subscription-response', `${FK_JOIN}SUBSCRIPTION-RESPONSE-`)}-topic`,
    responseSink: named('-subscription-response-sink', 'KTABLE-SINK-'),
    responseSource: named('-subscription-response-source', 'KTABLE-SOURCE-'),
    resolver: named('-subscription-response-resolver', `${FK_JOIN}SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-`),
  };
  const name = named('-result', OUTPUT);
  const storeName = node.store.userStoreName ?? counter.storeName(OUTPUT);
  return { name, storeName, foreignKeyJoin };
}
