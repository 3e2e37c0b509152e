import type Database from "better-sqlite3";

/** A write run inside the queue's transaction: synchronous (better-sqlite3), its own changes undone if it throws. */
export type QueuedWrite<T> = () => T;

export interface WriteQueueOptions {
  /** Most writes committed in one transaction; the rest go into the next one, scheduled at once. */
  maxBatch?: number;
  /** Called after each commit that carried at least one successful write (e.g. to wake live readers). */
  onCommit?: () => void;
  /**
   * Milliseconds a turn of the event loop may spend on commits made at once (in a microtask, right after the
   * writes' own code); past that, the turn's further writes wait for its check phase and share one commit.
   * Default 4 (a few fsyncs); 0 always waits for the check phase.
   */
  atOnceBudgetMs?: number;
}

interface Job {
  write: QueuedWrite<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const DEFAULT_MAX_BATCH = 1_000;
const DEFAULT_AT_ONCE_BUDGET_MS = 4;

/**
 * The one writer of a SQLite connection (group commit). Writes are queued and everything queued so far is
 * committed in one `BEGIN IMMEDIATE … COMMIT`: at once (a microtask, once the code that queued them is done)
 * while this turn of the event loop has spent less than `atOnceBudgetMs` on such commits, else at the turn's
 * check phase (`setImmediate`), after all its I/O callbacks, so that under a burst of writers N of them pay one
 * commit (one WAL fsync under `synchronous = FULL`) instead of N, and no two writers of this process ever wait
 * on SQLite's lock for each other. Each write runs inside its own savepoint: one that throws (a stale expected
 * revision, a constraint) is rolled back and rejected alone, the others of the group still commit. A write's
 * promise settles only after the group's COMMIT returned, i.e. once it is durable; a failed COMMIT rejects the
 * whole group (nothing of it was written). Writes commit in the order they were queued.
 */
export class SqliteWriteQueue {
  private pending: Job[] = [];
  private scheduled = false;
  private closed = false;
  private readonly maxBatch: number;
  private readonly atOnceBudgetMs: number;
  /** Milliseconds spent on commits made at once since the last check phase. */
  private spentAtOnceMs = 0;
  private resetScheduled = false;

  constructor(
    private readonly db: Database.Database,
    private readonly options: WriteQueueOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1)
      throw new RangeError(`maxBatch must be a positive integer, got ${String(options.maxBatch)}`);
    this.atOnceBudgetMs = options.atOnceBudgetMs ?? DEFAULT_AT_ONCE_BUDGET_MS;
    if (!(this.atOnceBudgetMs >= 0))
      throw new RangeError(`atOnceBudgetMs must be 0 or more, got ${String(options.atOnceBudgetMs)}`);
  }

  /** Queues a write; resolves with its result once the transaction that carried it has committed. */
  run<T>(write: QueuedWrite<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("write queue is closed"));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Writes queued and not yet committed. */
  get size(): number {
    return this.pending.length;
  }

  /** Commits everything queued now, synchronously (the queue's own turn does this on its own). */
  flush(): void {
    while (this.pending.length > 0) this.commitGroup(this.pending.splice(0, this.maxBatch));
  }

  /** Commits what is queued, then refuses new writes. The connection stays the caller's to close. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // At once while the turn's budget lasts: a lone write (a mutation among many reads) does not wait for the
    // rest of the turn's I/O callbacks, which under 200 clients take hundreds of milliseconds (load bench:
    // mutation p99 ~300 ms at once, ~450 ms always at the check phase). Past the budget, a burst of writers'
    // requests in one turn share the check phase's commit, one fsync for all instead of one each.
    if (this.spentAtOnceMs < this.atOnceBudgetMs) queueMicrotask(() => this.commitScheduled(true));
    else setImmediate(() => this.commitScheduled(false));
  }

  private commitScheduled(atOnce: boolean): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const started = atOnce ? performance.now() : 0;
    this.commitGroup(this.pending.splice(0, this.maxBatch));
    if (atOnce) {
      this.spentAtOnceMs += performance.now() - started;
      if (!this.resetScheduled) {
        this.resetScheduled = true;
        setImmediate(() => {
          this.resetScheduled = false;
          this.spentAtOnceMs = 0;
        });
      }
    }
    if (this.pending.length > 0) this.schedule();
  }

  private commitGroup(group: Job[]): void {
    let outcomes: Outcome[];
    try {
      outcomes = this.runInTransaction(group);
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    if (outcomes.some((outcome) => outcome.ok)) this.options.onCommit?.();
    outcomes.forEach((outcome, index) => {
      const job = group[index]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  /** One transaction, one savepoint per write; throws (having rolled back) when BEGIN or COMMIT fails. */
  private runInTransaction(group: Job[]): Outcome[] {
    const db = this.db;
    db.exec("BEGIN IMMEDIATE");
    try {
      const outcomes = group.map((job) => runInSavepoint(db, job.write));
      db.exec("COMMIT");
      return outcomes;
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw error;
    }
  }
}

function runInSavepoint(db: Database.Database, write: QueuedWrite<unknown>): Outcome {
  db.exec("SAVEPOINT queued_write");
  try {
    const value = write();
    db.exec("RELEASE queued_write");
    return { ok: true, value };
  } catch (error) {
    db.exec("ROLLBACK TO queued_write");
    db.exec("RELEASE queued_write");
    return { ok: false, error };
  }
}
