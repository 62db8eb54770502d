import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CrashAppConfig, CrashAppEvent } from './crash-app-runner.js';

/** The per-key counter; other crash apps (such as `windowed-crash-app.ts`) speak the same stdout protocol. */
const CRASH_APP_PATH = fileURLToPath(new URL('./crash-app.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Enough of the child's stderr to explain a failure without flooding the test output. */
const STDERR_TAIL_CHARS = 8_000;

/** Every child not yet known to have exited, so an `after` hook can kill what a failed test left behind. */
const live = new Set<CrashAppProcess>();

/** SIGKILLs every child still running; for `after` hooks. */
export async function killAllCrashApps(): Promise<void> {
  await Promise.all([...live].map((app) => app.kill()));
}

/**
 * A crash app (`crash-app.ts` unless `appPath` names another) in a child process (`node --import tsx`): the events
 * it prints on stdout are queued per kind, so a test can wait for the next `running` line, SIGKILL the process, or
 * stop it with SIGTERM (a clean close).
 */
export class CrashAppProcess {
  private readonly child: ChildProcess;
  private readonly queued: CrashAppEvent[] = [];
  private readonly waiters: Array<{ kind: CrashAppEvent['event']; resolve: (event: CrashAppEvent) => void; reject: (error: Error) => void }> = [];
  private readonly exited: Promise<number | null>;
  private stderr = '';
  private stdoutRest = '';
  private exitCode: number | null | undefined = undefined;
  /** The last `running` line: the tasks the app held when it last moved to RUNNING. */
  lastRunning: CrashAppEvent | undefined;

  constructor(config: CrashAppConfig, appPath = CRASH_APP_PATH) {
    this.child = spawn(process.execPath, ['--import', 'tsx', appPath, JSON.stringify(config)], {
      cwd: REPO_ROOT,
      env: process.env,
      // The IPC channel is only there so that the child notices when the test process dies (see crash-app-runner.ts).
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    live.add(this);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    // KSTREAMS_CRASH_LOG_DIR keeps each child's whole stderr (its logs, with KSTREAMS_TEST_LOG=info) in <pid>.log.
    const logDir = process.env.KSTREAMS_CRASH_LOG_DIR;
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_CHARS);
      if (logDir !== undefined) appendFileSync(join(logDir, `${this.child.pid}.log`), chunk);
    });
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': by then stdout is drained, so an `error` line printed just before exiting is queued.
      this.child.once('close', (code) => {
        this.exitCode = code;
        live.delete(this);
        for (const waiter of this.waiters.splice(0)) {
          waiter.reject(new Error(`crash app exited (code ${code}) before printing "${waiter.kind}"${this.errorLines()}${this.stderrTail()}`));
        }
        resolve(code);
      });
    });
  }

  /** Starts a crash app and waits until it runs; resolves with the process and its first `running` event. */
  static async start(config: CrashAppConfig, appPath = CRASH_APP_PATH): Promise<{ app: CrashAppProcess; running: CrashAppEvent }> {
    const app = new CrashAppProcess(config, appPath);
    return { app, running: await app.next('running') };
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The next `kind` line the child prints (or already printed and nobody took yet). */
  next(kind: CrashAppEvent['event'], timeoutMs = 45_000): Promise<CrashAppEvent> {
    const index = this.queued.findIndex((e) => e.event === kind);
    if (index >= 0) return Promise.resolve(this.queued.splice(index, 1)[0]!);
    if (this.exitCode !== undefined) return Promise.reject(new Error(`crash app already exited (code ${this.exitCode})${this.errorLines()}${this.stderrTail()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${kind}" line from the crash app within ${timeoutMs} ms${this.stderrTail()}`)), timeoutMs);
      this.waiters.push({
        kind,
        resolve: (event) => (clearTimeout(timer), resolve(event)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }

  /** SIGKILL: no close, no commit, no leaving the group; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the app prints its metrics, closes cleanly and exits 0; resolves with those metrics. */
  async stop(): Promise<CrashAppEvent> {
    const closing = this.next('closing');
    this.child.kill('SIGTERM');
    const event = await closing;
    const code = await this.exited;
    if (code !== 0) throw new Error(`crash app exited with ${code} after SIGTERM${this.stderrTail()}`);
    return event;
  }

  private onStdout(chunk: string): void {
    const lines = (this.stdoutRest + chunk).split('\n');
    this.stdoutRest = lines.pop()!;
    for (const line of lines.filter((l) => l.trim().length > 0)) {
      const event = JSON.parse(line) as CrashAppEvent;
      if (event.event === 'running') this.lastRunning = event;
      const waiter = this.waiters.findIndex((w) => w.kind === event.event);
      if (waiter >= 0) this.waiters.splice(waiter, 1)[0]!.resolve(event);
      else this.queued.push(event);
    }
  }

  /** The messages of the `error` lines nobody waited for: why the app gave up. */
  private errorLines(): string {
    const messages = this.queued.filter((e) => e.event === 'error').map((e) => e.message);
    return messages.length === 0 ? '' : `; it printed: ${messages.join('; ')}`;
  }

  private stderrTail(): string {
    return this.stderr.length === 0 ? '' : `; stderr:\n${this.stderr}`;
  }
}
