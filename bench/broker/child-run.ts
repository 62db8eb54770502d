import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildFigures, ChildMessage, ChildSpec } from './streams-child.js';

/** Run through tsx like the parent (its `execArgv`), so the child is the TypeScript module itself. */
const CHILD_MODULE = fileURLToPath(new URL('./streams-child.ts', import.meta.url));
/** How long a child may take to exit after reporting before it is killed. */
const EXIT_GRACE_MS = 10_000;

/** The parent's handle on one measured child: when it started, stopping it, and its figures. */
export class ChildRun {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private hasExited = false;
  readonly started: Promise<number>;
  readonly figures: Promise<ChildFigures>;

  constructor(spec: ChildSpec) {
    this.child = fork(CHILD_MODULE, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        this.hasExited = true;
        resolve(code);
      }),
    );
    const failure = this.exited.then((code) => Promise.reject(new Error(`the measured child process exited with code ${code} before reporting`)));
    const nextMessage = (type: ChildMessage['type']) =>
      new Promise<ChildMessage>((resolve) => {
        const listener = (message: ChildMessage) => {
          if (message.type !== type) return;
          this.child.off('message', listener);
          resolve(message);
        };
        this.child.on('message', listener);
      });
    this.started = Promise.race([nextMessage('started'), failure]).then((m) => (m.type === 'started' ? m.startedAtMs : 0));
    this.figures = Promise.race([nextMessage('result'), failure]).then((m) => (m as Extract<ChildMessage, { type: 'result' }>).figures);
    // Whoever awaits only one of them must not see the other reject unhandled.
    this.started.catch(() => undefined);
    this.figures.catch(() => undefined);
    this.child.send(spec);
  }

  /** Races `work` against the child's death, so a crashed child fails the run instead of hanging it. */
  async whileAlive<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.figures.then(() => Promise.reject(new Error('the child reported before it was stopped')))]);
  }

  stop(): void {
    if (this.child.connected) this.child.send('stop');
  }

  /** Waits for the child to exit; kills it when it lingers or when the run failed. */
  async end(kill: boolean): Promise<void> {
    if (this.hasExited) return;
    if (!kill) {
      const timer = new Promise((resolve) => setTimeout(resolve, EXIT_GRACE_MS).unref());
      await Promise.race([this.exited, timer]);
      if (this.hasExited) return;
    }
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
