/**
 * The endings of the topics kstreams creates for an application (`<applicationId>-…`): store changelogs
 * (`changelogTopicName`, suppression buffers and window stores included), repartition topics, and a foreign-key
 * join's subscription and response topics, user-named (`<name>-subscription-registration-topic`) or generated
 * (`KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000003-topic`). Kafka's reset tool matches the same set, so either
 * tool finds the same topics.
 */
const INTERNAL_TOPIC = /(-changelog|-repartition|-subscription-registration-topic|-subscription-response-topic|-KTABLE-FK-JOIN-SUBSCRIPTION-(REGISTRATION|RESPONSE)-\d+-topic)$/;

/**
 * The topics of `topics` that look like internal topics of `applicationId`. A topic named among `userTopics` (the
 * inputs being reset) never is, whatever its name, as in Kafka's tool (KAFKA-7930).
 */
export function inferInternalTopics(applicationId: string, topics: readonly string[], userTopics: readonly string[]): string[] {
  const prefix = `${applicationId}-`;
  return topics.filter((t) => t.startsWith(prefix) && INTERNAL_TOPIC.test(t.slice(prefix.length - 1)) && !userTopics.includes(t)).sort();
}
