import { ClientLogBridge } from '../client/client-log-bridge.js';
import type { KafkaConnectionConfig } from '../client/kafka-client.js';
import type { TaskLogger } from '../../processing/task-logger.js';

/** The part of a @platformatic/kafka client (`Base`, an EventEmitter) the bridge listens on. */
interface ClientEvents {
  // Each event has arguments of its own; the listeners below name the ones they read.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
}

interface BrokerEvent {
  readonly broker?: { readonly host?: string; readonly port?: number };
}

/** One bridge per logger: the rate limit holds across every client of an instance. */
const bridges = new WeakMap<TaskLogger, ClientLogBridge>();

/**
 * @platformatic/kafka has no logger option: it writes debug lines through the `debug` package (`DEBUG=plt:kafka:*`)
 * and emits events on each client. The ones that mean trouble become warnings of the application's logger: a
 * broker that cannot be reached, an operation that failed after its retries, a failing or stalled heartbeat.
 * Retries themselves are debug lines. The adapter handles each failure; these lines say what the library saw.
 */
export function bridgePlatformaticLogs(client: ClientEvents, connection: KafkaConnectionConfig, part: string): void {
  const logger = connection.logger;
  if (logger === undefined) return;
  let bridge = bridges.get(logger);
  if (bridge === undefined) {
    bridge = new ClientLogBridge(logger, 'platformatic');
    bridges.set(logger, bridge);
  }
  const line = bridge.line.bind(bridge);
  const clientId = `${connection.clientId}-${part}`;
  client.on('client:broker:failed', (event: BrokerEvent) => line('warn', 'cannot connect to broker', { clientId, broker: brokerOf(event) }));
  client.on('client:performWithRetry:retry', (operation: string, attempt: number, retries: number) => line('debug', 'retrying client operation', { clientId, operation, attempt, retries }));
  client.on('client:performWithRetry:failed', (operation: string, retries: number, errors: readonly unknown[]) =>
    line('warn', 'client operation failed after its retries', { clientId, operation, retries, error: errors.at(-1) }),
  );
  client.on('consumer:heartbeat:error', (event: { readonly error?: unknown }) => line('warn', 'consumer heartbeat failed', { clientId, error: event.error }));
  client.on('consumer:heartbeat:stalled', () => line('warn', 'consumer heartbeat stalled', { clientId }));
}

function brokerOf(event: BrokerEvent | undefined): string | undefined {
  const broker = event?.broker;
  return broker?.host === undefined ? undefined : `${broker.host}:${String(broker.port)}`;
}
