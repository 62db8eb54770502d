import type { OutputRecord, ScenarioResult } from './scenario.js';

/** How one scenario's output differs between Kafka Streams (`expected`) and us (`actual`); `null` if it does not. */
export interface Mismatch {
  /** Position of the first differing output record (`-1` when only an error or the dropped count differ). */
  readonly index: number;
  readonly what: string;
  readonly expected: OutputRecord | string | number | undefined;
  readonly actual: OutputRecord | string | number | undefined;
}

/**
 * Compares the outputs record by record: key, window start and end, value, timestamp and position. Dropped-record
 * counts are compared apart ({@link compareDroppedRecords}): they are a metric, not a result.
 */
export function compareResults(expected: ScenarioResult, actual: ScenarioResult): Mismatch | null {
  if (expected.error !== undefined || actual.error !== undefined) {
    if (expected.error !== undefined && actual.error !== undefined) return null;
    return { index: -1, what: 'only one side failed', expected: expected.error, actual: actual.error };
  }
  const want = expected.records ?? [];
  const got = actual.records ?? [];
  for (let index = 0; index < Math.max(want.length, got.length); index++) {
    const a = want[index];
    const b = got[index];
    if (a === undefined) return { index, what: 'extra record', expected: undefined, actual: b };
    if (b === undefined) return { index, what: 'missing record', expected: a, actual: undefined };
    const field = firstDifferentField(a, b);
    if (field !== null) return { index, what: `different ${field}`, expected: a, actual: b };
  }
  return null;
}

/** The task's dropped-records counts, when both sides ran and they differ. */
export function compareDroppedRecords(expected: ScenarioResult, actual: ScenarioResult): Mismatch | null {
  if (expected.droppedRecords === undefined || actual.droppedRecords === undefined || expected.droppedRecords === actual.droppedRecords) return null;
  return { index: -1, what: 'different dropped-records count', expected: expected.droppedRecords, actual: actual.droppedRecords };
}

const FIELDS = ['key', 'start', 'end', 'value', 'timestamp'] as const;

function firstDifferentField(a: OutputRecord, b: OutputRecord): (typeof FIELDS)[number] | null {
  return FIELDS.find((field) => a[field] !== b[field]) ?? null;
}

/** `key@start..end=value @timestamp`, or `-` for no record. */
export function showRecord(record: OutputRecord | string | number | undefined): string {
  if (record === undefined) return '-';
  if (typeof record !== 'object') return String(record);
  return `${record.key}@${record.start}..${record.end}=${record.value === null ? 'null' : String(record.value)} @${record.timestamp}`;
}
