import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario, ScenarioResult } from './scenario.js';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

/** Where the parity harness keeps its build output and scratch files (git-ignored). */
const PARITY_WORK_DIR = join(REPOSITORY, '.parity');

const POM = join(REPOSITORY, 'scripts/parity/java/pom.xml');
const SOURCES = join(REPOSITORY, 'scripts/parity/java/src/main/java/kstreams/parity');
const TARGET = join(PARITY_WORK_DIR, 'java-target');
const BUILT_CLASSES = join(TARGET, 'classes/kstreams/parity');
const LIB = join(TARGET, 'lib');

/** Builds the Java harness with Maven unless every class is newer than its source and the pom. */
export function buildKafkaStreamsHarness(): void {
  if (isUpToDate()) return;
  console.log('building the Kafka Streams harness (mvn -q -B package)…');
  const build = spawnSync('mvn', ['-q', '-B', '-f', POM, 'package'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`mvn package failed (exit ${build.status ?? build.signal})`);
}

/** Every harness class must be newer than its source and than the pom. */
function isUpToDate(): boolean {
  if (!existsSync(LIB)) return false;
  const pom = statSync(POM).mtimeMs;
  return readdirSync(SOURCES).every((source) => {
    const built = join(BUILT_CLASSES, source.replace(/\.java$/, '.class'));
    return existsSync(built) && statSync(built).mtimeMs > Math.max(pom, statSync(join(SOURCES, source)).mtimeMs);
  });
}

/** Runs scenarios through Kafka Streams' `TopologyTestDriver` in one JVM; returns its results by scenario name. */
export function runOnKafkaStreams(scenarios: readonly Scenario[]): Map<string, ScenarioResult> {
  return runHarness('kstreams.parity.Parity', scenarios);
}

/**
 * Runs `mainClass` of the harness on scenarios written as one JSON array; it prints one JSON result line per
 * scenario, each with the scenario's `name`.
 */
export function runHarness<S, R extends { readonly name: string }>(mainClass: string, scenarios: readonly S[]): Map<string, R> {
  mkdirSync(PARITY_WORK_DIR, { recursive: true });
  // One file per process: two runs at once must not hand each other their scenarios.
  const file = join(PARITY_WORK_DIR, `scenarios-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(scenarios));
  const classpath = [join(TARGET, 'classes'), join(LIB, '*')].join(':');
  const run = spawnSync('java', ['-cp', classpath, mainClass, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  rmSync(file, { force: true });
  if (run.status !== 0) throw new Error(`the Kafka Streams harness failed (exit ${run.status ?? run.signal}):\n${run.stderr}`);
  const results = new Map<string, R>();
  for (const line of run.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const result = JSON.parse(line) as R;
    results.set(result.name, result);
  }
  return results;
}
