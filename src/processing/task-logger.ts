/**
 * The slice of a pino logger the task uses; a pino `Logger` fits as is. Messages are constant strings and data goes
 * in `fields`, so logs stay searchable; record keys and values are never logged.
 */
export interface TaskLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(bindings: object): TaskLogger;
}

/** Used when no logger is configured. */
export const silentLogger: TaskLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
