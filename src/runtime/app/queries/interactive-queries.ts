import type { AddressInfo } from 'node:net';
import type { CompiledTopology } from '../../../topology/compiled-topology.js';
import type { KafkaAdmin } from '../../client/kafka-client.js';
import type { ResolvedStreamsConfig } from '../streams-config.js';
import type { StreamsState } from '../streams-state.js';
import { queryLocalStores } from './local-sql.js';
import { LocalStoreQuery, type LocalQuerySource } from './local-store-query.js';
import { parseHostInfo } from './query-config.js';
import { QueryServer } from './query-server.js';
import { StreamsMetadataState } from './streams-metadata-state.js';

export interface InteractiveQueriesOptions {
  readonly config: ResolvedStreamsConfig;
  readonly topology: CompiledTopology;
  readonly subtopologyTopics: ReadonlyMap<number, readonly string[]>;
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly admin: KafkaAdmin;
  readonly source: LocalQuerySource;
}

/**
 * The queries of one client across instances: the group's metadata (refreshed after each rebalance, dropped when
 * one begins) and, when configured, the HTTP query server over it.
 */
export class InteractiveQueries {
  readonly metadata: StreamsMetadataState;
  private readonly server: QueryServer | null;
  private address: AddressInfo | undefined;

  constructor(options: InteractiveQueriesOptions) {
    const { config, admin } = options;
    this.metadata = new StreamsMetadataState({
      topology: options.topology,
      subtopologyTopics: options.subtopologyTopics,
      partitionCounts: options.partitionCounts,
      describeGroup: () => admin.describeGroupMembers(config.applicationId),
      logger: config.logger,
    });
    const server = config.applicationServer === undefined ? undefined : parseHostInfo('applicationServer', config.applicationServer);
    this.server = config.queryServer === undefined || server === undefined
      ? null
      : new QueryServer(config.queryServer, server, this.metadata, new LocalStoreQuery(server, this.metadata, options.source), (sql) => queryLocalStores(options.topology, options.source, sql));
  }

  /** Follows the client's state: REBALANCING drops the metadata, RUNNING reads the new generation's. */
  stateChanged(next: StreamsState): void {
    if (next === 'RUNNING') void this.metadata.refresh();
    else this.metadata.invalidate();
  }

  async start(): Promise<void> {
    this.address = await this.server?.start();
  }

  /** Where the query server listens (the port it picked, when given 0). */
  serverAddress(): { host: string; port: number } | undefined {
    return this.address === undefined ? undefined : { host: this.address.address, port: this.address.port };
  }

  async stop(): Promise<void> {
    this.metadata.invalidate();
    await this.server?.stop();
  }
}
