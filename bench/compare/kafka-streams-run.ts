import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { MeasuredRun, RunFigures } from './measured-run.js';

const PROJECT = fileURLToPath(new URL('./java/', import.meta.url));
const POM = join(PROJECT, 'pom.xml');
const SOURCES = join(PROJECT, 'src/main/java/kstreams/bench');
const TARGET = join(PROJECT, 'target');
const MAIN_CLASS = 'kstreams.bench.CompareBench';
/** A sane, fixed heap: the JVM would otherwise size it from the machine's memory. */
const JVM_OPTIONS = ['-Xmx1g'];
const EXIT_GRACE_MS = 30_000;

/** Builds the Kafka Streams application with Maven unless every class is newer than its source and the pom. */
export function buildKafkaStreamsApp(log: (message: string) => void): void {
  if (isUpToDate()) return;
  log('building the Kafka Streams application (mvn -q -B package)…');
  const build = spawnSync('mvn', ['-q', '-B', '-f', POM, 'package'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`mvn package failed (exit ${build.status ?? build.signal})`);
}

function isUpToDate(): boolean {
  if (!existsSync(join(TARGET, 'lib'))) return false;
  const pom = statSync(POM).mtimeMs;
  return readdirSync(SOURCES).every((source) => {
    const built = join(TARGET, 'classes/kstreams/bench', source.replace(/\.java$/, '.class'));
    return existsSync(built) && statSync(built).mtimeMs > Math.max(pom, statSync(join(SOURCES, source)).mtimeMs);
  });
}

/** `java -version`'s first line, for the report. */
export function javaVersion(): string {
  const run = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return run.stderr.split('\n')[0]?.trim() ?? 'unknown';
}

/**
 * One run of the Kafka Streams application in a JVM of its own. `args` become its `name=value` arguments; it
 * speaks in stdout lines (`started <ms>`, `result <json>`) and stops on `stop` from stdin (see CompareBench.java).
 */
export class KafkaStreamsRun implements MeasuredRun {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<number | null>;
  private hasExited = false;
  readonly started: Promise<number>;
  readonly figures: Promise<RunFigures>;

  constructor(args: Readonly<Record<string, string | number>>) {
    const classpath = [join(TARGET, 'classes'), join(TARGET, 'lib', '*')].join(':');
    const argv = Object.entries(args).map(([name, value]) => `${name}=${value}`);
    this.child = spawn('java', [...JVM_OPTIONS, '-cp', classpath, MAIN_CLASS, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.pipe(process.stderr);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        this.hasExited = true;
        resolve(code);
      }),
    );
    const failure = this.exited.then((code) => Promise.reject(new Error(`the Kafka Streams JVM exited with code ${code} before reporting`)));
    let onStarted: (atMs: number) => void = () => undefined;
    let onResult: (figures: RunFigures) => void = () => undefined;
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (line.startsWith('started ')) onStarted(Number(line.slice('started '.length)));
      else if (line.startsWith('result ')) onResult(JSON.parse(line.slice('result '.length)) as RunFigures);
      else console.error(`[kafka-streams] ${line}`);
    });
    this.started = Promise.race([new Promise<number>((resolve) => (onStarted = resolve)), failure]);
    this.figures = Promise.race([new Promise<RunFigures>((resolve) => (onResult = resolve)), failure]);
    // Whoever awaits only one of them must not see the other reject unhandled.
    this.started.catch(() => undefined);
    this.figures.catch(() => undefined);
  }

  async whileAlive<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.exited.then(() => Promise.reject(new Error('the Kafka Streams JVM exited before it was stopped')))]);
  }

  stop(): void {
    if (!this.hasExited) this.child.stdin.write('stop\n');
  }

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
