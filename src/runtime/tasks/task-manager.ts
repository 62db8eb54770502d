import type { CompiledTopology } from '../../topology/compiled-topology.js';
import type { ChangelogReader, GroupConsumer, GroupMember, KafkaAdmin } from '../client/kafka-client.js';
import type { StateDirectory } from '../app/state-directory.js';
import { formatTaskId, parseTaskId } from '../assignment/task-id.js';
import type { RawRecord, TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { TaskEngineConfig } from '../../processing/task-engine-config.js';
import type { ErrorHandlerContext } from '../../processing/exception-handlers.js';
import { describeError, StateError } from '../../core/errors.js';
import { isRetriable } from '../client/broker-failure.js';
import type { TaskLogger } from '../../processing/task-logger.js';
import { InputRouter } from './input-router.js';
import type { PartitionLag } from './records-lag.js';
import { ActiveTask } from './active-task.js';
import { taskFailureKind } from './task-failure-kind.js';
import type { StateStore } from '../../state/state-store.js';
import type { TaskCommitter } from './task-committer.js';
import { RestoreProgress } from './restore-progress.js';
import { restoreTasks } from './task-restorer.js';
import { TaskRecoveries } from './task-recoveries.js';
import type { RetryPolicy } from './task-retries.js';

export interface TaskManagerOptions {
  readonly applicationId: string;
  readonly topology: CompiledTopology;
  readonly taskConfig: TaskEngineConfig;
  readonly stateDirectory: StateDirectory;
  readonly admin: KafkaAdmin;
  readonly changelogReader: ChangelogReader;
  /** Where restoration progress goes (listener, logs, metrics); a silent one when left out. */
  readonly restoreProgress?: RestoreProgress;
  readonly committer: TaskCommitter;
  readonly consumer: () => GroupConsumer;
  readonly subtopologyOfTopic: ReadonlyMap<string, number>;
  readonly partitionCount: (topic: string) => number;
  readonly deadLetter: ((record: RawRecord, context: ErrorHandlerContext) => OutgoingRecord) | undefined;
  readonly maxBufferedRecordsPerPartition: number;
  readonly logger: TaskLogger;
  /** The global stores (read-only views), which every task may read. */
  readonly globalStores?: ReadonlyMap<string, StateStore>;
  /** Backoff and task timeout for tasks whose creation or commit fails on retriable errors; Kafka Streams' defaults. */
  readonly retryPolicy?: RetryPolicy;
  /** The clock of backoffs and the task timeout (`Date.now` unless a test moves time by hand). */
  readonly clock?: () => number;
}

/**
 * Owns the tasks of one instance: creates them for an assignment (fence, seek, restore, run), runs and commits
 * them, and recovers a task whose commit failed by closing it and creating it again from its changelog (at once,
 * or after the next assignment when it was fenced). The input side — positions, routing fetched records,
 * backpressure, the backlog a new task waits for — is its `InputRouter`; what it remembers of tasks closed after a
 * failure (rebuilds, fenced tasks, backoffs) its `TaskRecoveries`; committing is the `TaskCommitter`'s.
 *
 * Broker outages are waited out task by task: a task whose creation fails on a retriable error (the broker down,
 * a coordinator loading) is closed and created again later, and so is a task whose commits keep failing, with
 * backoff between attempts (`TaskRetries`), until it has been failing for longer than the task timeout, which is
 * fatal. Tasks whose ownership was interrupted (the member lost its place in the group) are closed without a
 * commit and created afresh from the next assignment.
 */
export class TaskManager {
  private readonly tasks = new Map<string, ActiveTask>();
  /** Partitions of each assigned task, from the latest assignment. */
  private assignment = new Map<string, TopicPartition[]>();
  /** Where input partitions are read from, which records reach their task, backpressure, new tasks' backlogs. */
  private readonly input: InputRouter;
  private closing = false;
  /** Aborted when the thread stops, so that a restoration in progress ends at once. */
  private readonly restoration = new AbortController();
  /**
   * Held tasks that another member may own now or may have owned in between: the member lost its place in the
   * group, or an assignment took the task away and a later one gave it back before the first was applied. They do
   * not run or commit; `applyAssignment` or `closeLost` closes them without a commit.
   */
  private readonly lost = new Set<string>();
  /** Held tasks that an assignment not yet applied took away. */
  private readonly revokedUnapplied = new Set<string>();
  /** Tasks closed after a failure until they are created again: rebuild counts, fenced tasks, backoffs. */
  private readonly recoveries: TaskRecoveries;
  /**
   * KIP-447 (the thread's transaction): the consumer's group member when the latest assignment came. Only the tasks
   * of that assignment commit, and with this member: a task it took away is another member's in its generation.
   */
  private assignedMember: GroupMember | undefined;
  private readonly restoreProgress: RestoreProgress;

  constructor(private readonly options: TaskManagerOptions) {
    this.recoveries = new TaskRecoveries(options.logger, options.retryPolicy, options.clock);
    this.restoreProgress = options.restoreProgress ?? new RestoreProgress(() => undefined, options.logger);
    this.input = new InputRouter({
      consumer: options.consumer,
      maxBufferedRecordsPerPartition: options.maxBufferedRecordsPerPartition,
      taskOf: (partition) => {
        const taskId = this.taskIdOf(partition);
        return taskId === undefined ? undefined : this.tasks.get(taskId);
      },
    });
  }

  /** How often a task was closed after a failure (or fencing) and created again here. */
  rebuildCount(taskId: string): number {
    return this.recoveries.rebuildCount(taskId);
  }

  /** How often this task's state file was found damaged at open and deleted, so that the changelog restored it. */
  damagedStateCount(taskId: string): number {
    return this.recoveries.damagedStateCount(taskId);
  }

  /** Ids of the tasks this instance holds (running, restoring or suspended), for the assignor's stickiness. */
  heldTaskIds(): string[] {
    return [...this.tasks.keys()];
  }

  allTasks(): ActiveTask[] {
    return [...this.tasks.values()];
  }

  runningTasks(): ActiveTask[] {
    return this.allTasks().filter((task) => task.state === 'running' && !this.lost.has(task.id));
  }

  /**
   * The synchronous part of a new assignment, run before kafkajs fetches anything for it: partitions of new tasks
   * are paused until their task is ready; partitions of kept tasks continue after what their task buffered. A held
   * task that an earlier assignment (not applied yet) took away counts as lost: someone else may have owned it since.
   */
  noteAssignment(partitions: readonly TopicPartition[]): void {
    const next = new Map<string, TopicPartition[]>();
    for (const partition of partitions) {
      const taskId = this.taskIdOf(partition);
      if (taskId !== undefined) next.set(taskId, [...(next.get(taskId) ?? []), partition]);
    }
    for (const id of this.tasks.keys()) {
      if (!next.has(id)) this.revokedUnapplied.add(id);
      else if (this.revokedUnapplied.has(id)) this.markLost(id);
    }
    for (const partition of partitions) {
      const taskId = this.taskIdOf(partition);
      if (taskId === undefined) continue;
      const kept = this.tasks.has(taskId) && !this.lost.has(taskId);
      if (!kept || !this.input.continueAfterBuffered(partition)) this.input.holdUntilStarted(partition);
    }
    this.assignment = next;
    this.recoveries.assignmentNoted(next);
    if (this.threadScoped) this.assignedMember = this.options.consumer().groupMember();
  }

  /**
   * The member lost its place in the group: every held task may be another member's now. They stop running and
   * committing at once, their fetched records are dropped, and nothing is ours until the next assignment.
   */
  noteLost(): void {
    this.options.logger.info({ lost: [...this.tasks.keys()] }, 'the consumer lost its place in the group; its tasks close without a commit');
    for (const id of this.tasks.keys()) this.markLost(id);
    this.assignment = new Map();
    this.assignedMember = undefined;
  }

  /** Closes the lost tasks without a commit (their open transactions are aborted, if the broker can be reached). */
  async closeLost(): Promise<void> {
    await this.closeTasksDirty(this.allTasks().filter((task) => this.lost.has(task.id)));
  }

  /** Applies the latest assignment: closes tasks given away (and lost ones), resumes kept ones, creates new ones. */
  async applyAssignment(): Promise<void> {
    this.revokedUnapplied.clear();
    this.recoveries.assignmentApplied(this.assignment);
    const revoked = this.allTasks().filter((task) => !this.assignment.has(task.id) || this.lost.has(task.id));
    const fresh = [...this.assignment.keys()].filter((id) => !this.tasks.has(id) || this.lost.has(id));
    this.options.logger.info({ assigned: [...this.assignment.keys()], created: fresh, revoked: revoked.map((t) => t.id) }, 'applying task assignment');
    for (const task of revoked) await this.revoke(task);
    for (const task of this.allTasks()) if (task.state === 'suspended') task.moveTo('running');
    const created = [...this.assignment.keys()].filter((id) => !this.tasks.has(id));
    if (created.length > 0) await this.createTasks(created);
  }

  /**
   * Creates the assigned tasks that are missing because their creation or commit failed, once their backoff has
   * passed (fenced tasks wait for a new assignment instead).
   */
  async createDueTasks(): Promise<void> {
    if (this.closing) return;
    const due = [...this.assignment.keys()].filter((id) => !this.tasks.has(id) && this.recoveries.isDue(id));
    if (due.length > 0) await this.createTasks(due);
  }

  /** Buffers fetched records of one partition in its task; pauses the partition when the task holds too many. */
  acceptRecords(records: readonly RawRecord[]): void {
    this.input.accept(records);
  }

  /** The consumer's position after a fetch, past records `acceptRecords` never sees (control and aborted ones). */
  noteFetchPosition(partition: TopicPartition, nextOffset: number, highWatermark?: number): void {
    this.input.noteFetchPosition(partition, nextOffset, highWatermark);
  }

  /** How far each input partition of the held tasks is behind its end (`RecordsLag`). */
  recordsLag(): PartitionLag[] {
    return this.input.recordsLag();
  }

  /** Resumes partitions whose task drained below half the buffer limit. */
  resumeDrained(): void {
    this.input.resumeDrained();
  }

  /**
   * One turn of the loop over the running tasks: up to `recordsPerTask` records each, with stream-time punctuation
   * after every record, then the task's wall-clock punctuations. A new task holds its records while one of its
   * partitions has nothing buffered and input known to be on the broker (`InputBacklog`). A task that fails is recovered as one whose commit
   * failed (`recover`): a storage failure rebuilds it, anything else rejects. Returns how many records were processed.
   */
  async process(recordsPerTask: number): Promise<number> {
    let processed = 0;
    const failures = new Map<ActiveTask, unknown>();
    for (const task of this.runningTasks()) {
      try {
        for (let n = 0; n < recordsPerTask && !this.input.holds(task) && task.engine.process(); n++) {
          processed++;
          task.engine.maybePunctuateStreamTime();
        }
        task.engine.maybePunctuateSystemTime();
      } catch (error) {
        failures.set(task, error);
      }
    }
    if (failures.size > 0) await this.recover(failures, 'processing');
    return processed;
  }

  /**
   * Commits every running task with something to commit; a task whose commit failed is recovered (`recover`), and a
   * fatal failure rejects. Returns how many tasks committed.
   */
  async commit(tasks: readonly ActiveTask[] = this.runningTasks()): Promise<number> {
    const due = tasks.filter((task) => task.commitNeeded() && this.mayCommit(task));
    if (due.length === 0) return 0;
    const failures = await this.options.committer.commit(due, this.assignedMember);
    for (const task of due) if (!failures.has(task)) this.recoveries.committed(task.id);
    if (failures.size > 0) await this.recover(failures, 'committing');
    this.options.logger.debug({ tasks: due.length, failed: failures.size }, 'committed tasks');
    return due.length - failures.size;
  }

  /** Sends the buffered output of tasks holding more than `threshold` records; a failed send is a failed commit. */
  async sendLargeBuffers(threshold: number): Promise<void> {
    for (const task of this.runningTasks()) {
      if (task.bufferedOutputCount() < threshold) continue;
      await this.options.committer.sendBuffered(task).catch((error: unknown) => this.recover(new Map([[task, error]]), 'sending output'));
    }
  }

  /** Ends a restoration in progress at once (`applyAssignment` rejects); `closeAll` then closes its tasks. */
  interrupt(): void {
    this.closing = true;
    this.restoration.abort();
  }

  /** The group is rebalancing: commit what is done and idle every task until the new assignment says more. */
  async suspendAll(): Promise<void> {
    await this.commit();
    for (const task of this.allTasks()) if (task.state === 'running' || task.state === 'restoring') task.moveTo('suspended');
  }

  /**
   * Closes every task: `clean` commits first; otherwise uncommitted work is aborted and rolled back. Every task is
   * closed even when the commit or the close of another fails; the first failure rejects afterwards.
   */
  async closeAll(clean: boolean): Promise<void> {
    this.closing = true;
    let failure: { error: unknown } | undefined;
    if (clean) {
      const committable = this.allTasks().filter((t) => (t.state === 'running' || t.state === 'suspended') && !this.lost.has(t.id));
      await this.commit(committable).catch((error: unknown) => (failure = { error }));
    }
    const committed = clean && failure === undefined;
    for (const task of this.allTasks()) {
      await this.closeTask(task, committed && !this.lost.has(task.id)).catch((error: unknown) => (failure ??= { error }));
    }
    if (failure !== undefined) throw failure.error;
  }

  private async revoke(task: ActiveTask): Promise<void> {
    if (this.lost.has(task.id)) {
      await this.closeTasksDirty([task]);
      return;
    }
    if (this.threadScoped) {
      // Its generation is over, so its offsets can no longer commit; its new owner reads that input again.
      if (!task.commitNeeded()) await this.closeTask(task, true);
      else {
        task.logger.info({}, 'revoked task has work its generation can no longer commit; closing it without a commit');
        await this.closeTasksDirty([task]);
      }
      return;
    }
    try {
      if (task.state === 'running' || task.state === 'suspended') await this.commit([task]);
    } catch (error) {
      if (this.tasks.get(task.id) === task) await this.closeTask(task, false);
      throw error;
    }
    if (this.tasks.get(task.id) === task) await this.closeTask(task, true);
  }

  /**
   * Deals with tasks whose processing, commit or early send (`what`) failed (`taskFailureKind`). A fatal failure
   * rejects, which fails the thread. A fenced task is closed dirty and its input paused until the next assignment
   * says it is ours: creating it now would fence the instance that probably owns it now. Any other failure closes
   * the task dirty and creates it again, from its changelog and committed input offsets: at once after a first
   * failure, then with backoff, and a task failing for longer than the task timeout fails the thread.
   */
  private async recover(failures: ReadonlyMap<ActiveTask, unknown>, what: string): Promise<void> {
    const fatal = [...failures].find(([, error]) => taskFailureKind(error) === 'fatal');
    if (fatal !== undefined) throw fatal[1];
    const threadFenced = this.threadScoped && [...failures.values()].some((error) => taskFailureKind(error) === 'fenced');
    for (const [task, error] of failures) {
      const fenced = taskFailureKind(error) === 'fenced';
      const message = threadFenced
        ? 'thread transaction fenced (its producer, or the group generation); closing every task and creating them again'
        : fenced
          ? 'task fenced by another producer; closing it until the next assignment'
          : 'task failed; closing it and restoring it from its changelog';
      task.logger.warn({ during: what, error: describeError(error) }, message);
    }
    // KIP-447 as Kafka Streams' TaskMigratedException: every task of the thread goes. The group decides who owns a
    // task: a stale member's commits keep failing until its consumer rejoined, so creating them at once fences no one.
    const closing = threadFenced ? this.allTasks().filter((task) => !this.lost.has(task.id)) : [...failures.keys()];
    const closed = await this.closeTasksDirty([...new Set([...closing, ...failures.keys()])]);
    for (const task of closed) {
      this.recoveries.closedAfterFailure(task.id);
      const error = failures.get(task);
      if (error === undefined) continue;
      if (taskFailureKind(error) === 'fenced' && !this.threadScoped) this.awaitFencedTask(task.id, task.inputPartitions);
      else this.recoveries.failed(task.id, what, error);
    }
    await this.createDueTasks();
  }

  private get threadScoped(): boolean {
    return this.options.committer.transactionScope === 'thread';
  }

  /** KIP-447: only the tasks of the latest assignment commit, with its member; the others' generation is over. */
  private mayCommit(task: ActiveTask): boolean {
    return !this.threadScoped || (this.assignedMember !== undefined && this.assignment.has(task.id) && !this.lost.has(task.id));
  }

  private awaitFencedTask(taskId: string, inputPartitions: readonly TopicPartition[]): void {
    this.recoveries.fencedOut(taskId);
    this.options.consumer().pause(inputPartitions);
  }

  private markLost(taskId: string): void {
    this.lost.add(taskId);
    for (const p of this.tasks.get(taskId)?.inputPartitions ?? []) this.input.forgetPosition(p);
  }

  /**
   * Closes tasks without a commit, all at once: with the broker down, aborting each one's transaction takes the
   * client's whole retry time before it gives up (the next owner's fencing aborts it anyway). Tasks whose output
   * shares an open transaction with one of them (KIP-447: the thread's) lose it with the abort, so they are closed
   * too and created again from their changelog and committed offsets. Returns every task closed.
   */
  private async closeTasksDirty(tasks: readonly ActiveTask[]): Promise<ActiveTask[]> {
    const closing = this.options.committer.entangled(tasks);
    const sharing = closing.filter((task) => !tasks.includes(task));
    if (sharing.length > 0) this.options.logger.info({ tasks: sharing.map((t) => t.id), with: tasks.map((t) => t.id) }, 'closing tasks whose output was in the aborted transaction too; they are created again');
    for (const task of sharing) this.recoveries.closedAfterFailure(task.id);
    await Promise.all(closing.map((task) => this.closeTask(task, false)));
    return closing;
  }

  /**
   * Closes a task and releases its producer, each step even when the one before it threw. A clean close rejects
   * with the first failure afterwards (a processor whose `close()` throws is the application's bug). A dirty close
   * only logs it: it happens because something else failed, whose error must not be replaced by this one.
   */
  private async closeTask(task: ActiveTask, clean: boolean): Promise<void> {
    if (this.tasks.get(task.id) === task) {
      this.tasks.delete(task.id);
      this.lost.delete(task.id);
    }
    for (const p of task.inputPartitions) this.input.forget(p);
    let failure: { error: unknown } | undefined;
    try {
      if (!clean) task.discardUncommitted();
    } catch (error) {
      failure = { error };
    }
    try {
      await this.options.committer.releaseTask(task, !clean);
    } catch (error) {
      task.logger.warn({ error: describeError(error) }, 'releasing the task producer failed');
    }
    try {
      task.close();
    } catch (error) {
      failure ??= { error };
    }
    if (failure === undefined) return;
    if (clean) throw failure.error;
    task.logger.warn({ error: describeError(failure.error) }, 'closing the task without a commit failed; it is closed anyway');
  }

  /**
   * Creates tasks (`startTasks`). When that fails on a retriable error, or the task was fenced, the tasks are closed
   * again and tried later (`createDueTasks`, after their backoff) or after the next assignment; other failures, and
   * the interruption of a closing thread, reject.
   */
  private async createTasks(ids: readonly string[]): Promise<void> {
    const tasks = ids.map((id) => this.openTask(id));
    try {
      await this.startTasks(tasks);
    } catch (error) {
      const fenced = taskFailureKind(error) === 'fenced';
      if (this.closing || (!fenced && !isRetriable(error))) throw error;
      const open = tasks.filter((task) => this.tasks.get(task.id) === task);
      for (const task of open) {
        task.logger.warn({ error: describeError(error) }, fenced ? 'task fenced while being created; waiting for the next assignment' : 'creating the task failed; it will be tried again');
      }
      await this.closeTasksDirty(open);
      for (const task of open) {
        if (fenced) this.awaitFencedTask(task.id, task.inputPartitions);
        else this.recoveries.failed(task.id, 'creating the task', error);
      }
    }
  }

  /**
   * Starts new tasks in the order that keeps exactly-once sound with kafkajs: input paused; producer created and
   * its first transaction begun (fencing the previous owner, whose open transaction the coordinator then aborts);
   * only then the committed offsets read and each partition sought there; stores restored; input resumed.
   */
  private async startTasks(tasks: readonly ActiveTask[]): Promise<void> {
    const consumer = this.options.consumer();
    for (const task of tasks) consumer.pause(task.inputPartitions);
    // Settled one by one: a task still connecting its producer must not be closed under it when another one fails.
    const initialized = await Promise.allSettled(tasks.map((task) => this.options.committer.initializeTask(task)));
    const failed = initialized.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    await this.seekToCommitted(tasks);
    const corrupted = await restoreTasks(tasks, this.options.admin, this.options.changelogReader, this.restoration.signal, this.restoreProgress);
    for (const task of corrupted) {
      task.logger.warn({}, 'stored changelog offsets are beyond the changelog end; wiping the task state');
      await this.closeTask(task, false);
      this.options.stateDirectory.wipeTask(task.id);
    }
    for (const task of tasks.filter((t) => !corrupted.includes(t))) {
      task.engine.initializeTopology();
      task.moveTo('running');
      this.recoveries.running(task.id);
      // A task lost while it was being created stays paused: it is closed before the next assignment is applied.
      if (!this.lost.has(task.id)) consumer.resume(task.inputPartitions);
    }
    if (corrupted.length > 0) await this.createTasks(corrupted.map((t) => t.id));
  }

  private openTask(id: string): ActiveTask {
    const { subtopology: subtopologyId, partition } = parseTaskId(id);
    const subtopology = this.options.topology.subtopologies.find((s) => s.id === subtopologyId)!;
    const make = () =>
      new ActiveTask({
        subtopology,
        topology: this.options.topology,
        partition,
        databasePath: this.options.stateDirectory.databasePath(id),
        taskConfig: this.options.taskConfig,
        logger: this.options.logger,
        partitionCount: this.options.partitionCount,
        deadLetter: this.options.deadLetter,
        globalStores: this.options.globalStores,
      });
    let task: ActiveTask;
    try {
      task = make();
    } catch (error) {
      if (!(error instanceof StateError) || error.code !== 'STATE_DAMAGED') throw error;
      // Its state cannot be trusted, and opening it again would fail the same way: the changelog has it all.
      this.options.logger.warn({ taskId: id, reason: error.message }, 'task state on disk is damaged; deleting it and restoring the task from its changelog');
      this.recoveries.damagedStateDeleted(id);
      this.options.stateDirectory.wipeTask(id);
      task = make();
    }
    this.tasks.set(id, task);
    this.recoveries.opened(id);
    task.moveTo('restoring');
    return task;
  }

  /**
   * Seeks each input partition of new tasks to its committed offset (or the log start), and restores the partition
   * time committed with it, so that records late before a restart or a move are late after it too.
   */
  private async seekToCommitted(tasks: readonly ActiveTask[]): Promise<void> {
    const partitions = tasks.flatMap((t) => t.inputPartitions);
    if (partitions.length === 0) return;
    const committed = await this.options.admin.committedOffsets(this.options.applicationId, partitions);
    const uncommitted = partitions.filter((p) => committed.get(topicPartitionKey(p.topic, p.partition)) == null);
    const beginnings = uncommitted.length > 0 ? await this.options.admin.beginningOffsets(uncommitted) : new Map<string, number>();
    const ends = await this.options.admin.endOffsets(partitions);
    for (const task of tasks) {
      for (const p of task.inputPartitions) {
        const key = topicPartitionKey(p.topic, p.partition);
        const position = committed.get(key);
        if (position != null) task.restorePartitionTime(p, position.metadata);
        const offset = position?.offset ?? beginnings.get(key) ?? 0;
        this.input.startAt(p, offset, ends.get(key) ?? offset);
      }
    }
  }

  private taskIdOf(partition: TopicPartition): string | undefined {
    const subtopology = this.options.subtopologyOfTopic.get(partition.topic);
    return subtopology === undefined ? undefined : formatTaskId({ subtopology, partition: partition.partition });
  }
}
