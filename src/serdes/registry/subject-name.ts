import { SerdeError } from '../../core/errors.js';

/**
 * How a serde names the subject it registers (or looks up) its schema under, as Confluent's serializers do:
 * - `topic` (the default, TopicNameStrategy): `<topic>-key` / `<topic>-value`: one schema line per topic;
 * - `record` (RecordNameStrategy): the record's full name, whatever the topic: one line per record type;
 * - `topicRecord` (TopicRecordNameStrategy): `<topic>-<full name>`: several record types in one topic.
 */
export type SubjectNameStrategy = 'topic' | 'record' | 'topicRecord';

export function subjectName(strategy: SubjectNameStrategy, topic: string, isKey: boolean, recordName: string | undefined): string {
  if (strategy === 'topic') return `${topic}-${isKey ? 'key' : 'value'}`;
  if (recordName === undefined) {
    throw new SerdeError(`the subject name strategy '${strategy}' needs a named schema (a record, enum or fixed), but topic ${topic}'s schema has no name`);
  }
  return strategy === 'record' ? recordName : `${topic}-${recordName}`;
}
