/**
 * Click enrichment: every click is joined with the profile of the user who made it (a stream-table join on the user
 * id, so clicks and users are co-partitioned) and with the page it hit, looked up in a GlobalKTable by the page path
 * the click names (every instance holds all pages, so clicks need no repartition for it). Clicks by unknown users are
 * kept (a left join) with an `anonymous` profile; clicks on unknown pages are dropped (an inner join).
 *
 *   kstreams describe examples/click-enrichment.ts
 */
import { Serdes, StreamsBuilder, type Topology } from '../src/index.js';

export interface Click {
  readonly page: string;
}

export interface UserProfile {
  readonly name: string;
  readonly region: string;
}

export interface Page {
  readonly title: string;
  readonly section: string;
}

export interface EnrichedClick {
  readonly userId: string;
  readonly user: string;
  readonly region: string;
  readonly page: string;
  readonly title: string;
  readonly section: string;
}

export interface ClickEnrichmentTopics {
  readonly clicks: string;
  readonly users: string;
  readonly pages: string;
  readonly enriched: string;
}

export const CLICK_ENRICHMENT_TOPICS: ClickEnrichmentTopics = { clicks: 'clicks', users: 'users', pages: 'pages', enriched: 'clicks-enriched' };
/** The stores the application serves queries from. */
export const USERS_STORE = 'users';
export const PAGES_STORE = 'pages';

const ANONYMOUS: UserProfile = { name: 'anonymous', region: 'unknown' };

export function buildClickEnrichmentTopology(topics: ClickEnrichmentTopics = CLICK_ENRICHMENT_TOPICS): Topology {
  const builder = new StreamsBuilder();
  const users = builder.table(topics.users, { keySerde: Serdes.String(), valueSerde: Serdes.Json<UserProfile>(), storeName: USERS_STORE });
  const pages = builder.globalTable(topics.pages, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Page>(), storeName: PAGES_STORE });
  builder
    .stream(topics.clicks, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Click>() })
    .leftJoin(users, (click, user) => ({ click, user: user ?? ANONYMOUS }), { name: 'with-user' })
    .join(
      pages,
      (_userId, { click }) => click.page,
      ({ click, user }, page, userId): EnrichedClick => ({ userId, user: user.name, region: user.region, page: click.page, title: page.title, section: page.section }),
      { name: 'with-page' },
    )
    .to(topics.enriched, { keySerde: Serdes.String(), valueSerde: Serdes.Json<EnrichedClick>() });
  return builder.build();
}

export const topology = buildClickEnrichmentTopology();
