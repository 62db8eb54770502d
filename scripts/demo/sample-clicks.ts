import { SeededRandom } from '../../src/testing/seeded-random.js';
import type { PageStats } from '../../examples/click-stream.js';

/** What the demo means each sample to be, decided when it is made; the application has to find it out by itself. */
export type ClickKind = 'human' | 'bot' | 'malformed';

export interface SampleClick {
  readonly sessionId: string;
  readonly event: unknown;
  readonly kind: ClickKind;
}

/** The results a correct run ends with, worked out from the samples' kinds rather than by the example's own checks. */
export interface ExpectedResults {
  readonly clicksPerUser: ReadonlyMap<string, number>;
  readonly pageStats: ReadonlyMap<string, PageStats>;
  readonly humanClicks: number;
  readonly bots: number;
  readonly rejected: number;
}

const USERS = ['ada', 'brian', 'chen', 'dana', 'emeka', 'freya'];
/** Pages with the typical time spent on them, so the per-page averages differ visibly. */
const PAGES: ReadonlyArray<[page: string, typicalMs: number]> = [
  ['/home', 1_500],
  ['/products', 4_000],
  ['/products/42', 9_000],
  ['/cart', 2_500],
  ['/checkout', 6_000],
];
const BROWSERS = [
  'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0',
];
const BOTS = ['Googlebot/2.1', 'curl/8.5.0', 'Mozilla/5.0 HeadlessChrome/126.0', 'bingbot/2.0 (+crawler)'];
/** Each one fails a different check of the example's `isWellFormed`. */
const MALFORMED: readonly unknown[] = [
  { page: '/home', userAgent: BROWSERS[0], durationMs: 1_200 },
  { userId: 'ada', page: 'home', userAgent: BROWSERS[1], durationMs: 800 },
  { userId: 'chen', page: '/cart', userAgent: BROWSERS[2], durationMs: -5 },
  { userId: 'dana', page: '/checkout', userAgent: BROWSERS[0], durationMs: '300' },
  { userId: '', page: '/products', userAgent: BROWSERS[1], durationMs: 10 },
  { hello: 'world' },
];

/** `count` clicks over several users and pages: roughly 8 % from bots and 5 % malformed. */
export function sampleClicks(count = 300, seed = 20_240_611): SampleClick[] {
  const random = new SeededRandom(seed);
  const pick = <T>(items: readonly T[]): T => random.pick(items);
  const clicks: SampleClick[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    const user = pick(USERS);
    const [page, typicalMs] = pick(PAGES);
    const durationMs = Math.round(typicalMs * (0.5 + random.next()));
    const sessionId = `session-${user}-${Math.floor(i / 40)}`;
    if (roll < 0.05) clicks.push({ sessionId, event: pick(MALFORMED), kind: 'malformed' });
    else if (roll < 0.13) clicks.push({ sessionId: `session-bot-${i}`, event: { userId: `bot-${i % 3}`, page, userAgent: pick(BOTS), durationMs }, kind: 'bot' });
    else clicks.push({ sessionId, event: { userId: user, page, userAgent: pick(BROWSERS), durationMs }, kind: 'human' });
  }
  return clicks;
}

export function expectedResults(clicks: readonly SampleClick[]): ExpectedResults {
  const clicksPerUser = new Map<string, number>();
  const pageStats = new Map<string, PageStats>();
  for (const click of clicks) {
    if (click.kind !== 'human') continue;
    const { userId, page, durationMs } = click.event as { userId: string; page: string; durationMs: number };
    clicksPerUser.set(userId, (clicksPerUser.get(userId) ?? 0) + 1);
    const before = pageStats.get(page) ?? { views: 0, totalDurationMs: 0, averageDurationMs: 0 };
    const views = before.views + 1;
    const totalDurationMs = before.totalDurationMs + durationMs;
    pageStats.set(page, { views, totalDurationMs, averageDurationMs: Math.round(totalDurationMs / views) });
  }
  const countOf = (kind: ClickKind) => clicks.filter((c) => c.kind === kind).length;
  return { clicksPerUser, pageStats, humanClicks: countOf('human'), bots: countOf('bot'), rejected: countOf('malformed') };
}
