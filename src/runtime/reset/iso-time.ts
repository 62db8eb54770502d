import { ConfigError } from '../../core/errors.js';

/**
 * `YYYY-MM-DDThh:mm[:ss[.sss]]` with an optional zone (`Z`, `+hh:mm`, `+hhmm`), as Kafka's reset tool takes
 * `--to-datetime`; without a zone it is local time, as there (and as JavaScript reads such a string).
 */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Java's `Duration.parse` form, which Kafka's tool takes for `--by-duration`: `PnDTnHnMn.nS`, optionally signed. */
const ISO_DURATION = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+(?:[.,]\d{1,9})?)S)?)?$/i;

/** Milliseconds since the epoch of an ISO-8601 date-time; `key` names the setting in the error. */
export function parseIsoDatetime(key: string, text: string): number {
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const millis = ISO_DATETIME.test(text) ? Date.parse(normalized) : Number.NaN;
  if (Number.isNaN(millis)) throw new ConfigError(key, `must be an ISO-8601 date-time like 2026-01-31T12:00:00.000Z, got ${JSON.stringify(text)}`);
  return millis;
}

/** Milliseconds of an ISO-8601 duration such as `PT1H`, `P2D`, `PT15M30.5S` (days at most, as Java's `Duration`). */
export function parseIsoDuration(key: string, text: string): number {
  const match = ISO_DURATION.exec(text);
  // "P" and "PT" alone match the pattern but name no amount; Java refuses them too.
  if (match === null || match.slice(2).every((part) => part === undefined) || text.toUpperCase().endsWith('T')) {
    throw new ConfigError(key, `must be an ISO-8601 duration like PT1H or P1DT12H (days, hours, minutes, seconds), got ${JSON.stringify(text)}`);
  }
  const [, sign, days, hours, minutes, seconds] = match;
  const amount = (part: string | undefined, unitMs: number) => (part === undefined ? 0 : Number(part.replace(',', '.')) * unitMs);
  const millis = Math.round(amount(days, 86_400_000) + amount(hours, 3_600_000) + amount(minutes, 60_000) + amount(seconds, 1_000));
  return sign === '-' ? -millis : millis;
}
