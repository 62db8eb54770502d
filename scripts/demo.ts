import { Serdes } from '../src/index.js';
import { TopologyTestDriver } from '../src/testing/index.js';
import { CLICKS_PER_USER_TOPIC, CLICKS_TOPIC, PAGE_STATS_TOPIC, topology as clickStream } from '../examples/click-stream.js';
import { INPUT_TOPIC, OUTPUT_TOPIC, topology as wordCount } from '../examples/word-count.js';
import { formatTopologyText } from '../src/topology/describe/format-topology-text.js';

/**
 * The demo until the Kafka runtime lands: both examples run through the TopologyTestDriver (the real task code
 * and SQLite stores, no broker), printing each topology and the records it produces.
 */
function runWordCount(): void {
  console.log(formatTopologyText(wordCount.describe()));
  const driver = new TopologyTestDriver(wordCount);
  try {
    const lines = driver.createInputTopic(INPUT_TOPIC, Serdes.String(), Serdes.String());
    lines.pipeValueList(['all streams lead to kafka', 'hello kafka streams', 'join kafka summit']);
    const counts = driver.createOutputTopic(OUTPUT_TOPIC, Serdes.String(), Serdes.Long());
    for (const { key, value } of counts.readRecordsToList()) console.log(`  ${OUTPUT_TOPIC}  ${key} = ${value}`);
  } finally {
    driver.close();
  }
}

function runClickStream(): void {
  console.log(formatTopologyText(clickStream.describe()));
  const driver = new TopologyTestDriver(clickStream);
  try {
    const clicks = driver.createInputTopic(CLICKS_TOPIC, Serdes.String(), Serdes.Json<unknown>());
    const browser = 'Mozilla/5.0 (X11; Linux x86_64)';
    const pages = ['/home', '/cart', '/checkout'];
    for (let i = 0; i < 12; i++) {
      const bot = i % 5 === 4;
      clicks.pipeInput(`session-${i % 4}`, {
        userId: `user-${i % 3}`,
        page: pages[i % pages.length],
        userAgent: bot ? 'Googlebot/2.1' : browser,
        durationMs: 300 + 100 * i,
      }, 1_000 * i);
    }
    const perUser = driver.createOutputTopic(CLICKS_PER_USER_TOPIC, Serdes.String(), Serdes.Long());
    for (const [user, count] of perUser.readKeyValuesToMap()) console.log(`  ${CLICKS_PER_USER_TOPIC}  ${user} = ${count}`);
    const perPage = driver.createOutputTopic(PAGE_STATS_TOPIC, Serdes.String(), Serdes.Json<unknown>());
    for (const [page, stats] of perPage.readKeyValuesToMap()) console.log(`  ${PAGE_STATS_TOPIC}  ${page} = ${JSON.stringify(stats)}`);
  } finally {
    driver.close();
  }
}

runWordCount();
runClickStream();
