import { describeError } from '../../core/errors.js';
import type { TaskLogger } from '../../processing/task-logger.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type ShutdownSignal = (typeof SIGNALS)[number];

/**
 * `installShutdownHook`: what a Kafka Streams user writes as `Runtime.addShutdownHook(new Thread(streams::close))`.
 * On SIGTERM or SIGINT it removes itself and closes the client. Then, if nothing else listens for that signal, it
 * ends the process: exit code 0 after a clean close, 1 if closing failed. With a listener of your own, the exit is
 * left to you. A second signal during the close gets Node's default (the process ends at once), because the hook
 * is already removed.
 */
export class ShutdownHook {
  private readonly listeners = new Map<ShutdownSignal, () => void>();

  constructor(
    private readonly close: () => Promise<unknown>,
    private readonly logger: TaskLogger,
  ) {}

  install(): void {
    if (this.listeners.size > 0) return;
    for (const signal of SIGNALS) {
      const listener = (): void => void this.onSignal(signal);
      this.listeners.set(signal, listener);
      process.on(signal, listener);
    }
  }

  remove(): void {
    for (const [signal, listener] of this.listeners) process.removeListener(signal, listener);
    this.listeners.clear();
  }

  private async onSignal(signal: ShutdownSignal): Promise<void> {
    this.remove();
    const othersListen = process.listenerCount(signal) > 0;
    this.logger.info({ signal }, 'closing on signal');
    let exitCode = 0;
    try {
      await this.close();
    } catch (error) {
      exitCode = 1;
      this.logger.error({ signal, error: describeError(error) }, 'close on signal failed');
    }
    if (!othersListen) process.exit(exitCode);
  }
}
