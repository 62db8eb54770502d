import type { StoreBuilder } from '../../state/state-store.js';
import type { AnyProcessorSupplier } from '../compiled-topology.js';
import type { SinkOptions, SourceOptions } from '../node-options.js';

/**
 * What a foreign-key join writes, besides names: the six processors (send, receive, join-foreign, foreign-join,
 * resolver, result), the subscription store, and the serdes and partitioners of its two internal topics.
 */
export interface ForeignKeyJoinParts {
  /** This table's changes → subscriptions keyed by foreign key. */
  readonly send: AnyProcessorSupplier;
  readonly subscriptionSink: SinkOptions;
  readonly subscriptionSource: SourceOptions;
  /** Subscriptions by `(foreign key, primary key)`, shared by receive and foreign-join. */
  readonly subscriptionStore: StoreBuilder;
  readonly receive: AnyProcessorSupplier;
  /** Answers each subscription with the foreign table's value. */
  readonly joinForeign: AnyProcessorSupplier;
  /** Answers every subscription of a foreign key when the foreign table changes. */
  readonly foreignJoin: AnyProcessorSupplier;
  readonly responseSink: SinkOptions;
  readonly responseSource: SourceOptions;
  /** Joins responses still matching this table's current value. */
  readonly resolve: AnyProcessorSupplier;
  readonly result: AnyProcessorSupplier;
}

/** The names of a foreign-key join's topics, processors and subscription store (the result's are `name`/`storeName`). */
export interface ForeignKeyJoinNames {
  readonly subscriptionTopic: string;
  readonly send: string;
  readonly subscriptionSink: string;
  readonly subscriptionSource: string;
  readonly subscriptionStore: string;
  readonly receive: string;
  readonly joinForeign: string;
  readonly foreignJoin: string;
  readonly responseTopic: string;
  readonly responseSink: string;
  readonly responseSource: string;
  readonly resolver: string;
}
