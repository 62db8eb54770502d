import type { TaskLogger } from '../../../processing/task-logger.js';
import type { LogLevelName, WorkerMessage } from './thread-protocol.js';

/**
 * A worker's logger: each line goes to the main thread, which writes it through the application's own logger
 * (`relayLog`), so one logger — the user's, or the default one — sees every thread. Bindings of child loggers
 * travel with each line and are applied there as children of the same name would be.
 */
export function workerLogger(post: (message: WorkerMessage) => void, enabled: ReadonlySet<LogLevelName>, bindings: readonly object[] = []): TaskLogger {
  const line = (level: LogLevelName) =>
    enabled.has(level) ? (fields: object, message: string) => post({ type: 'log', level, bindings, fields: plain(fields), message }) : () => undefined;
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (more) => workerLogger(post, enabled, [...bindings, more]),
  };
}

/**
 * The levels `logger` writes, so that a worker does not send lines that would be dropped: pino's
 * `isLevelEnabled` where the logger has it, every level otherwise.
 */
export function enabledLogLevels(logger: TaskLogger): LogLevelName[] {
  const levels: LogLevelName[] = ['debug', 'info', 'warn', 'error'];
  const check = (logger as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return typeof check === 'function' ? levels.filter((level) => check.call(logger, level)) : levels;
}

/** Writes a worker's log line through `logger`, the worker's bindings applied as child loggers. */
export function relayLog(logger: TaskLogger, message: Extract<WorkerMessage, { type: 'log' }>): void {
  const target = message.bindings.reduce<TaskLogger>((parent, bindings) => parent.child(bindings), logger);
  target[message.level](message.fields, message.message);
}

/** Log fields are data, but an error object or a function in them would fail to cross: they become text. */
function plain(fields: object): object {
  try {
    return structuredClone(fields);
  } catch {
    return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, typeof value === 'object' && value !== null ? String(value) : typeof value === 'function' ? '[function]' : value]));
  }
}
