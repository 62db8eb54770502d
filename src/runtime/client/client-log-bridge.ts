import type { TaskLogger } from '../../processing/task-logger.js';

/** After the first line of a kind, at most one per this interval; the lines left out are counted in the next. */
export const CLIENT_LOG_INTERVAL_MS = 30_000;
/** Kinds of lines remembered at most; a client that makes up more is forgotten and starts over. */
const MAX_KINDS = 1_000;

/** What a Kafka client adapter reports: a level, a constant message, and fields of plain values. */
export type ClientLogLevel = 'debug' | 'warn' | 'error';

/** Fields a client line may carry: anything else (request payloads, record batches) stays out of the log. */
const KEPT_FIELDS: ReadonlySet<string> = new Set(['namespace', 'broker', 'clientId', 'groupId', 'memberId', 'topic', 'partition', 'retryCount', 'retryTime', 'operation', 'attempt', 'retries', 'error', 'type']);

/**
 * Writes a Kafka client's own warnings and errors through the application's logger (as children with
 * `component: 'kafka-client'`), rate-limited per message: a broker that is down makes a client repeat itself
 * every few hundred milliseconds. Only fields of plain values named in a fixed list pass, so that nothing a client
 * attaches (a request, a batch of records) reaches a log line.
 */
export class ClientLogBridge {
  private readonly logger: TaskLogger;
  private readonly seen = new Map<string, { lastMs: number; suppressed: number }>();

  constructor(
    logger: TaskLogger,
    client: string,
    private readonly clock: () => number = Date.now,
    private readonly intervalMs = CLIENT_LOG_INTERVAL_MS,
  ) {
    this.logger = logger.child({ component: 'kafka-client', client });
  }

  line(level: ClientLogLevel, message: string, fields: { readonly [field: string]: unknown }): void {
    const kept = keptFields(fields);
    if (level === 'debug') {
      this.logger.debug(kept, message);
      return;
    }
    const key = `${level}\u0000${message}`;
    const now = this.clock();
    const seen = this.seen.get(key);
    if (seen !== undefined && now - seen.lastMs < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    if (this.seen.size >= MAX_KINDS) this.seen.clear();
    this.seen.set(key, { lastMs: now, suppressed: 0 });
    this.logger[level](seen !== undefined && seen.suppressed > 0 ? { ...kept, suppressed: seen.suppressed } : kept, message);
  }
}

function keptFields(fields: { readonly [field: string]: unknown }): Record<string, string | number | boolean> {
  const kept: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!KEPT_FIELDS.has(name)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') kept[name] = value;
    else if (value instanceof Error) kept[name] = `${value.name}: ${value.message}`;
  }
  return kept;
}
