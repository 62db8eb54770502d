/**
 * Real-time click analytics: click events arrive as JSON keyed by session. Malformed events and bot traffic are
 * split off (malformed ones to a topic of their own, for inspection); human clicks are counted per user and
 * summarised per page (views, total and average time on page).
 *
 *   kstreams describe examples/click-stream.ts
 */
import { KeyValue, Serdes, StreamsBuilder, type Topology } from '../src/index.js';

export interface ClickEvent {
  readonly userId: string;
  readonly page: string;
  readonly userAgent: string;
  /** Time spent on the page before the click, in milliseconds. */
  readonly durationMs: number;
}

export interface PageStats {
  readonly views: number;
  readonly totalDurationMs: number;
  readonly averageDurationMs: number;
}

export const CLICKS_TOPIC = 'clicks';
export const REJECTED_TOPIC = 'clicks-rejected';
export const CLICKS_PER_USER_TOPIC = 'clicks-per-user';
export const PAGE_STATS_TOPIC = 'page-stats';
export const CLICKS_PER_USER_STORE = 'clicks-per-user';
export const PAGE_STATS_STORE = 'page-stats';

/** The application's input and output topics; a deployment (or the demo, once per run) may name its own. */
export interface ClickStreamTopics {
  readonly clicks: string;
  readonly rejected: string;
  readonly clicksPerUser: string;
  readonly pageStats: string;
}

export const CLICK_STREAM_TOPICS: ClickStreamTopics = {
  clicks: CLICKS_TOPIC,
  rejected: REJECTED_TOPIC,
  clicksPerUser: CLICKS_PER_USER_TOPIC,
  pageStats: PAGE_STATS_TOPIC,
};

const BOT_AGENT = /bot|crawler|spider|curl|headless/i;

/**
 * JSON carries no types: an event is usable only if every field is there with the right type. `durationMs` must be
 * a whole number, as the per-page durations travel as `Serdes.Long()`, which refuses fractions.
 */
export function isWellFormed(event: unknown): event is ClickEvent {
  if (typeof event !== 'object' || event === null) return false;
  const { userId, page, userAgent, durationMs } = event as { [field: string]: unknown };
  return (
    typeof userId === 'string' &&
    userId.length > 0 &&
    typeof page === 'string' &&
    page.startsWith('/') &&
    typeof userAgent === 'string' &&
    typeof durationMs === 'number' &&
    Number.isInteger(durationMs) &&
    durationMs >= 0
  );
}

export function isBot(event: ClickEvent): boolean {
  return BOT_AGENT.test(event.userAgent);
}

export function buildClickStreamTopology(topics: ClickStreamTopics = CLICK_STREAM_TOPICS): Topology {
  const builder = new StreamsBuilder();
  const clicks = builder.stream(topics.clicks, { keySerde: Serdes.String(), valueSerde: Serdes.Json<ClickEvent>(), name: 'clicks-source' });

  const routes = clicks
    .split({ name: 'route-' })
    .branch((_session, event) => !isWellFormed(event), { name: 'malformed' })
    // Bot clicks get a branch of their own so they reach neither the default branch nor any output.
    .branch((_session, event) => isBot(event), { name: 'bots' })
    .defaultBranch({ name: 'human' });
  routes.get('route-malformed')!.to(topics.rejected, { name: 'rejected-sink' });
  const human = routes.get('route-human')!;

  human
    .selectKey((_session, event) => event.userId, { name: 'key-by-user' })
    .groupByKey({ name: 'clicks-by-user', keySerde: Serdes.String(), valueSerde: Serdes.Json<ClickEvent>() })
    .count({ name: 'count-clicks-per-user', storeName: CLICKS_PER_USER_STORE })
    .toStream({ name: 'clicks-per-user-changes' })
    .to(topics.clicksPerUser, { keySerde: Serdes.String(), valueSerde: Serdes.Long(), name: 'clicks-per-user-sink' });

  human
    .map((_session, event) => KeyValue.pair(event.page, event.durationMs), { name: 'to-page-duration' })
    .groupByKey({ name: 'durations-by-page', keySerde: Serdes.String(), valueSerde: Serdes.Long() })
    .aggregate(
      () => ({ views: 0, totalDurationMs: 0, averageDurationMs: 0 }),
      (_page, durationMs, stats: PageStats): PageStats => {
        const views = stats.views + 1;
        const totalDurationMs = stats.totalDurationMs + durationMs;
        return { views, totalDurationMs, averageDurationMs: Math.round(totalDurationMs / views) };
      },
      { name: 'summarise-page', storeName: PAGE_STATS_STORE, valueSerde: Serdes.Json<PageStats>(), storeType: 'in-memory' },
    )
    .toStream({ name: 'page-stats-changes' })
    .to(topics.pageStats, { keySerde: Serdes.String(), valueSerde: Serdes.Json<PageStats>(), name: 'page-stats-sink' });

  return builder.build();
}

export const topology = buildClickStreamTopology();
