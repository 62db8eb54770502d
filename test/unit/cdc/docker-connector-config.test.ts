import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { connectorConfig, demoCapture } from '../../../scripts/cdc/connect-config.js';

it("Docker Compose registers the same Debezium connector as `npm run cdc:start`, with Postgres at the service's name", () => {
  const file = join(import.meta.dirname, '..', '..', '..', 'docker', 'debezium-demo-connector.json');
  const docker = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  assert.deepEqual(docker, connectorConfig({ ...demoCapture(5432), pgHost: 'postgres' }));
});
