export { TopologyTestDriver } from './topology-test-driver.js';
export type { TopologyTestDriverConfig } from './topology-test-driver.js';
export { TestInputTopic } from './test-input-topic.js';
export type { TestInputTopicOptions } from './test-input-topic.js';
export { TestOutputTopic } from './test-output-topic.js';
export { TestRecord } from './test-record.js';
