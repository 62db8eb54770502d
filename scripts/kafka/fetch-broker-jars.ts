import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerLayout, KafkaLine } from './broker-layout.js';
import { DEPENDENCY_PLUGIN, dependencyPom, runMaven, type MavenDependency } from './maven.js';

/**
 * The broker's pom leaves out an SLF4J binding (it ships only in the release tarball); without one the broker runs
 * but drops every log line. 4.1 logs through log4j2, 3.9 still calls log4j 1 classes directly (hence reload4j).
 */
const LOGGING_DEPENDENCIES: Record<KafkaLine, MavenDependency[]> = {
  '4.1': [
    ['org.apache.logging.log4j', 'log4j-slf4j-impl', '2.25.3'],
    ['org.slf4j', 'slf4j-api', '1.7.36'],
  ],
  '3.9': [
    ['org.slf4j', 'slf4j-reload4j', '1.7.36'],
    ['ch.qos.reload4j', 'reload4j', '1.2.25'],
  ],
};

function pom(version: string, line: KafkaLine): string {
  return dependencyPom('kafka-broker', [['org.apache.kafka', 'kafka_2.13', version], ...LOGGING_DEPENDENCIES[line]]);
}

function hasJars(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('kafka_2.13-') && f.endsWith('.jar'));
}

/** Downloads the broker and its runtime classpath from Maven Central once; later starts reuse the cache. */
export function fetchBrokerJars(layout: BrokerLayout, version: string, line: KafkaLine, log: (msg: string) => void): void {
  if (hasJars(layout.jarsDir)) return;
  log(`fetching Apache Kafka ${version} broker jars from Maven Central into ${layout.jarsDir}`);
  mkdirSync(layout.mavenDir, { recursive: true });
  const pomFile = join(layout.mavenDir, 'pom.xml');
  writeFileSync(pomFile, pom(version, line));
  runMaven(['-f', pomFile, `${DEPENDENCY_PLUGIN}:copy-dependencies`, '-DincludeScope=runtime', `-DoutputDirectory=${layout.jarsDir}`], `the Kafka ${version} jars`);
  if (!hasJars(layout.jarsDir)) throw new Error(`Maven finished but no Kafka jars are in ${layout.jarsDir}`);
}
