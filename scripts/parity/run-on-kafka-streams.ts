import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario, ScenarioResult } from './scenario.js';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

/** Where the parity harness keeps its build output and scratch files (git-ignored). */
const PARITY_WORK_DIR = join(REPOSITORY, '.parity');

const POM = join(REPOSITORY, 'scripts/parity/java/pom.xml');
const SOURCE = join(REPOSITORY, 'scripts/parity/java/src/main/java/kstreams/parity/Parity.java');
const TARGET = join(PARITY_WORK_DIR, 'java-target');
const BUILT_CLASS = join(TARGET, 'classes/kstreams/parity/Parity.class');
const LIB = join(TARGET, 'lib');

/** Builds the Java harness with Maven unless its class is newer than its source and the pom. */
export function buildKafkaStreamsHarness(): void {
  if (isUpToDate()) return;
  console.log('building the Kafka Streams harness (mvn -q -B package)…');
  const build = spawnSync('mvn', ['-q', '-B', '-f', POM, 'package'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`mvn package failed (exit ${build.status ?? build.signal})`);
}

function isUpToDate(): boolean {
  if (!existsSync(BUILT_CLASS) || !existsSync(LIB)) return false;
  const built = statSync(BUILT_CLASS).mtimeMs;
  return built > statSync(SOURCE).mtimeMs && built > statSync(POM).mtimeMs;
}

/** Runs scenarios through Kafka Streams' `TopologyTestDriver` in one JVM; returns its results by scenario name. */
export function runOnKafkaStreams(scenarios: readonly Scenario[]): Map<string, ScenarioResult> {
  mkdirSync(PARITY_WORK_DIR, { recursive: true });
  // One file per process: two runs at once must not hand each other their scenarios.
  const file = join(PARITY_WORK_DIR, `scenarios-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(scenarios));
  const classpath = [join(TARGET, 'classes'), join(LIB, '*')].join(':');
  const run = spawnSync('java', ['-cp', classpath, 'kstreams.parity.Parity', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  rmSync(file, { force: true });
  if (run.status !== 0) throw new Error(`the Kafka Streams harness failed (exit ${run.status ?? run.signal}):\n${run.stderr}`);
  const results = new Map<string, ScenarioResult>();
  for (const line of run.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const result = JSON.parse(line) as ScenarioResult;
    results.set(result.name, result);
  }
  return results;
}
