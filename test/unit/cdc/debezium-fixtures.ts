import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One record of a Debezium topic as the topic held it: key and value as text, `null` for the tombstone's value. */
export interface RecordedChange {
  readonly key: string;
  readonly value: string | null;
}

/**
 * Changes recorded from the project's real Debezium stack (see fixtures/README.md): the `orders` table's story with
 * the JSON converter's schemas off (`plain`) or on (`schemas`), or a snapshot taken while a transaction was open.
 */
export function recorded(fixture: 'plain' | 'schemas' | 'open-transaction-at-snapshot'): RecordedChange[] {
  const file = fixture === 'open-transaction-at-snapshot' ? `${fixture}.json` : `orders-${fixture}.json`;
  return JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', file), 'utf8')) as RecordedChange[];
}

/** The fields of a recorded envelope the tests edit. */
export interface RecordedEnvelope {
  op: string;
  before: { readonly [column: string]: unknown } | null;
  after: { readonly [column: string]: unknown } | null;
  source: { readonly lsn: number; readonly snapshot: string; readonly ts_ms: number };
}

/** The recorded change with its envelope edited (e.g. another LSN), in the same converter format. */
export function edited(change: RecordedChange, edit: (envelope: RecordedEnvelope) => void): RecordedChange {
  const decoded = JSON.parse(change.value!) as RecordedEnvelope | { schema: unknown; payload: RecordedEnvelope };
  edit('payload' in decoded ? decoded.payload : decoded);
  return { key: change.key, value: JSON.stringify(decoded) };
}

/** The rows Postgres held at the end of the recording. */
export const FINAL_ROWS = [
  { key: { id: 1 }, value: { id: 1, customer: 'alice', amount: '11.00', status: 'paid', updated_at: '2026-12-06T20:43:35.643703Z' } },
  { key: { id: 3 }, value: { id: 3, customer: 'carol', amount: '7.25', status: 'new', updated_at: '2026-12-06T20:43:36.999435Z', note: 'gift' } },
];
