import type { Admin } from 'kafkajs';
import type { ClickStreamTopics } from '../../examples/click-stream.js';

export const DEMO_PARTITIONS = 3;

/** Topics named after the run's application id, so no two runs (or a rerun after a crash) share anything. */
export function demoTopics(applicationId: string): ClickStreamTopics {
  return {
    clicks: `${applicationId}-clicks`,
    rejected: `${applicationId}-clicks-rejected`,
    clicksPerUser: `${applicationId}-clicks-per-user`,
    pageStats: `${applicationId}-page-stats`,
  };
}

export async function createDemoTopics(admin: Admin, topics: ClickStreamTopics): Promise<void> {
  const created = await admin.createTopics({
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: DEMO_PARTITIONS })),
    waitForLeaders: true,
  });
  if (!created) throw new Error(`the demo topics of this run already exist: ${Object.values(topics).join(', ')}`);
}

/**
 * Deletes everything the run left on the broker: its own topics, the application's internal topics (all prefixed
 * by the application id) and the consumer groups named after it.
 */
export async function deleteDemoLeftovers(admin: Admin, applicationId: string): Promise<void> {
  const ours = (name: string) => name === applicationId || name.startsWith(`${applicationId}-`);
  const topics = (await admin.listTopics()).filter(ours);
  if (topics.length > 0) await admin.deleteTopics({ topics });
  const { groups } = await admin.listGroups();
  const groupIds = groups.map((g) => g.groupId).filter(ours);
  if (groupIds.length === 0) return;
  await admin.deleteGroups(groupIds).catch((error: Error & { groups?: Array<{ groupId: string; error?: { type?: string } }> }) => {
    const which = error.groups?.map((g) => `${g.groupId} (${g.error?.type ?? 'unknown error'})`).join(', ') ?? groupIds.join(', ');
    throw new Error(`could not delete the consumer groups ${which}`);
  });
}
