import type { TransitionTable } from '../state-machine.js';

/**
 * A task's lifecycle in the runtime. `restoring`: stores open, replaying changelogs, input paused. `running`:
 * processing. `suspended`: the group is rebalancing; committed and idle until it is kept (back to `running`) or
 * given away (`closed`).
 */
export type TaskState = 'created' | 'restoring' | 'running' | 'suspended' | 'closed';

export const TASK_STATE_TRANSITIONS: TransitionTable<TaskState> = {
  created: ['restoring', 'closed'],
  restoring: ['running', 'suspended', 'closed'],
  running: ['suspended', 'closed'],
  suspended: ['running', 'closed'],
  closed: [],
};
