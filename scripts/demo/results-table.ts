import { CLICKS_PER_USER_STORE, PAGE_STATS_STORE, type PageStats } from '../../examples/click-stream.js';
import type { LatestResults } from './results-reader.js';
import type { ExpectedResults } from './sample-clicks.js';

const LIVE_INTERVAL_MS = 250;

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function sorted<V>(map: ReadonlyMap<string, V>): Array<[string, V]> {
  return [...map].sort(([a], [b]) => a.localeCompare(b));
}

/** Three lines: progress towards the expected totals, the per-user counts, the per-page views and average times. */
export function formatLiveResults(elapsedMs: number, latest: LatestResults, expected: ExpectedResults): string {
  const counted = sum(latest.clicksPerUser.values());
  const users = sorted(latest.clicksPerUser).map(([user, count]) => `${user} ${count}`).join('  ');
  const pages = sorted(latest.pageStats).map(([page, stats]) => `${page} ${stats.views}×${seconds(stats.averageDurationMs)}`).join('  ');
  return [
    `  +${seconds(elapsedMs).padStart(5)}  counted ${counted}/${expected.humanClicks} clicks · rejected ${latest.rejected}/${expected.rejected}`,
    `          users  ${users || '-'}`,
    `          pages  ${pages || '-'}`,
  ].join('\n');
}

/** Prints the live results at most every 250 ms while they change, so a burst of batches gives one update, not ten. */
export class LiveResultsPrinter {
  private readonly startedAtMs = Date.now();
  private lastPrintedAtMs = 0;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly latest: LatestResults, private readonly expected: ExpectedResults) {}

  changed(): void {
    this.pending = true;
    const waitMs = LIVE_INTERVAL_MS - (Date.now() - this.lastPrintedAtMs);
    if (waitMs <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), waitMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    this.pending = false;
    this.lastPrintedAtMs = Date.now();
    console.log(formatLiveResults(this.lastPrintedAtMs - this.startedAtMs, this.latest, this.expected));
  }
}

/** What `streams.store(...)` answered for each key, next to what the output topics say. */
export interface StoreAnswers {
  readonly clicksPerUser: ReadonlyMap<string, number | null>;
  /** Every entry of the per-user store, from `all()`. */
  readonly clicksPerUserScan: ReadonlyMap<string, number>;
  readonly pageStats: ReadonlyMap<string, PageStats | null>;
}

export function formatFinalResults(latest: LatestResults, answers: StoreAnswers): string {
  const lines = ['', 'Final results: output topics (read_committed) and streams.store(...) queries', ''];
  lines.push(`  ${'user'.padEnd(14)}${'clicks'.padStart(8)}${'store'.padStart(8)}`);
  for (const [user, count] of sorted(latest.clicksPerUser)) {
    lines.push(`  ${user.padEnd(14)}${String(count).padStart(8)}${String(answers.clicksPerUser.get(user)).padStart(8)}`);
  }
  lines.push('', `  ${'page'.padEnd(14)}${'views'.padStart(8)}${'avg ms'.padStart(8)}${'total ms'.padStart(10)}${'store views/avg'.padStart(18)}`);
  for (const [page, stats] of sorted(latest.pageStats)) {
    const stored = answers.pageStats.get(page);
    const storeColumn = stored ? `${stored.views}/${stored.averageDurationMs}` : String(stored);
    lines.push(
      `  ${page.padEnd(14)}${String(stats.views).padStart(8)}${String(stats.averageDurationMs).padStart(8)}` +
        `${String(stats.totalDurationMs).padStart(10)}${storeColumn.padStart(18)}`,
    );
  }
  lines.push('', `  rejected (malformed) events: ${latest.rejected}`, '', ...formatQueries(answers), '');
  return lines.join('\n');
}

/** A few of the queries behind the store columns, spelled as a user would write them. */
function formatQueries(answers: StoreAnswers): string[] {
  const [user, count] = [...answers.clicksPerUser][0] ?? ['-', null];
  const [page, stats] = [...answers.pageStats][0] ?? ['-', null];
  const scan = [...answers.clicksPerUserScan].map(([key, value]) => `${key}=${value}`).join(', ');
  return [
    'Interactive queries',
    `  streams.store('${CLICKS_PER_USER_STORE}').get('${user}')  ->  ${count}`,
    `  streams.store('${PAGE_STATS_STORE}').get('${page}')  ->  ${JSON.stringify(stats)}`,
    `  streams.store('${CLICKS_PER_USER_STORE}').all()  ->  ${scan}`,
  ];
}
