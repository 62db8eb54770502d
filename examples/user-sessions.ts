/**
 * User sessions: a user's clicks belong to one session until they pause for longer than the inactivity gap
 * (30 minutes). Every change of a session is written: its click count and duration, keyed by user and session
 * window. When a click extends a session or bridges two, the sessions it replaces are retracted first with
 * tombstones (a `null` value under their old key), so a downstream table keeps only the sessions that exist.
 *
 *   kstreams describe examples/user-sessions.ts
 */
import { Serdes, SessionWindows, StreamsBuilder, WindowedSerdes, type Serde, type Topology, type Windowed } from '../src/index.js';

/** A click, keyed by the user who made it; its event time is the record's timestamp. */
export interface Click {
  readonly page: string;
}

export interface SessionSummary {
  readonly clicks: number;
  /** From the session's first click to its last: 0 for a session of one click. */
  readonly durationMs: number;
}

export const CLICKS_TOPIC = 'session-clicks';
export const SESSIONS_TOPIC = 'user-sessions';
/** The session store of the click counts, queryable by this name. */
export const SESSIONS_STORE = 'user-sessions';

export const INACTIVITY_GAP_MS = 30 * 60_000;
export const GRACE_MS = 10 * 60_000;

/** Output keys: user id, session end and start, in Kafka Streams' session-windowed layout. */
export const sessionKeySerde: Serde<Windowed<string>> = WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String());

export function buildUserSessionsTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(CLICKS_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Click>(), name: 'clicks-source' })
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<Click>() })
    .windowedBy(SessionWindows.ofInactivityGapAndGrace(INACTIVITY_GAP_MS, GRACE_MS))
    .count({ name: 'count-session-clicks', storeName: SESSIONS_STORE })
    // The duration is the session window's own length; retractions stay tombstones (mapValues passes nulls on).
    .mapValues((clicks, session): SessionSummary => ({ clicks, durationMs: session.window.end - session.window.start }), {
      name: 'summarise-session',
    })
    .toStream({ name: 'session-changes' })
    .to(SESSIONS_TOPIC, { keySerde: sessionKeySerde, valueSerde: Serdes.Json<SessionSummary>(), name: 'sessions-sink' });
  return builder.build();
}

export const topology = buildUserSessionsTopology();
