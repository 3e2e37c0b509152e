import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import Database from "better-sqlite3";
import { SqliteWriteQueue } from "./writeQueue.js";

describe("SqliteWriteQueue (group commit)", () => {
  let dir: string;
  let file: string;
  let db: Database.Database;
  let commits: number;
  let queue: SqliteWriteQueue;
  const others: Database.Database[] = [];

  const insert = (value: string) => () => {
    db.prepare("INSERT INTO items (value) VALUES (?)").run(value);
    return value;
  };
  /** What another connection (another process) sees: only committed rows. */
  const committed = (): string[] => {
    const reader = new Database(file, { readonly: true });
    others.push(reader);
    return reader
      .prepare<[], { value: string }>("SELECT value FROM items ORDER BY seq")
      .all()
      .map((row) => row.value);
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "write-queue-"));
    file = join(dir, "queue.sqlite");
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.exec("CREATE TABLE items (seq INTEGER PRIMARY KEY AUTOINCREMENT, value TEXT NOT NULL UNIQUE)");
    db.exec(
      "CREATE TABLE links (id INTEGER PRIMARY KEY, item TEXT REFERENCES items(value) DEFERRABLE INITIALLY DEFERRED)",
    );
    commits = 0;
    queue = new SqliteWriteQueue(db, { onCommit: () => commits++ });
  });

  afterEach(async () => {
    for (const other of others.splice(0)) other.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("commits the writes queued together in one transaction, in the order they were queued", async () => {
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
    const results = await Promise.all(values.map((value) => queue.run(insert(value))));
    assert.deepEqual(results, values);
    assert.deepEqual(committed(), values);
    assert.equal(commits, 1, "one transaction for the whole group");
  });

  it("puts what was queued after a commit into the next one", async () => {
    await Promise.all([queue.run(insert("a")), queue.run(insert("b"))]);
    await Promise.all([queue.run(insert("c")), queue.run(insert("d")), queue.run(insert("e"))]);
    assert.deepEqual(committed(), ["a", "b", "c", "d", "e"]);
    assert.equal(commits, 2);
  });

  it("groups the next writes of writers woken by the same commit", async () => {
    const writer = async (w: number) => {
      for (let i = 0; i < 5; i++) await queue.run(insert(`w${w}-${i}`));
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    assert.equal(committed().length, 40);
    assert.equal(commits, 5, "eight writers, five rounds: one commit per round");
  });

  /**
   * Writes queued from three callbacks of one turn of the loop (the way requests arrive: separate callbacks,
   * microtasks run between them). Immediates queued together run in one check phase, deterministically; one
   * queued from there runs in the next turn's.
   */
  const fromThreeCallbacks = (q: SqliteWriteQueue): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const writes: Promise<string>[] = [];
      for (const value of ["t1", "t2", "t3"])
        setImmediate(() => {
          writes.push(q.run(insert(value)));
          if (writes.length === 3) Promise.all(writes).then(resolve, reject);
        });
    });

  it("commits a lone write at once, before the turn's later callbacks and the next check phase", async () => {
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        void queue.run(insert("a")).then(() => order.push("committed"));
        setImmediate(() => {
          order.push("next check phase");
          resolve();
        });
      });
      setImmediate(() => order.push("next callback"));
    });
    assert.deepEqual(order, ["committed", "next callback", "next check phase"]);
  });

  it("within its budget commits each callback's write at once; past it, the turn's other writes share one commit", async () => {
    const roomy = new SqliteWriteQueue(db, { onCommit: () => commits++, atOnceBudgetMs: 60_000 });
    assert.deepEqual(await fromThreeCallbacks(roomy), ["t1", "t2", "t3"]);
    assert.equal(commits, 3, "a commit per callback while the turn's budget lasts");
    db.exec("DELETE FROM items");
    const spent = new SqliteWriteQueue(db, { onCommit: () => commits++, atOnceBudgetMs: Number.MIN_VALUE });
    commits = 0;
    assert.deepEqual(await fromThreeCallbacks(spent), ["t1", "t2", "t3"]);
    assert.equal(commits, 2, "the first at once, the other two together at the check phase");
    db.exec("DELETE FROM items");
    const checkPhaseOnly = new SqliteWriteQueue(db, { onCommit: () => commits++, atOnceBudgetMs: 0 });
    commits = 0;
    assert.deepEqual(await fromThreeCallbacks(checkPhaseOnly), ["t1", "t2", "t3"]);
    assert.equal(commits, 1, "budget 0: the turn's writes share the check phase's commit");
    assert.deepEqual(committed(), ["t1", "t2", "t3"]);
  });

  it("rolls back and rejects only the write that threw; the rest of the group commits", async () => {
    const conflict = new Error("stale revision");
    const outcomes = await Promise.allSettled([
      queue.run(insert("a")),
      queue.run(() => {
        insert("half")();
        throw conflict;
      }),
      queue.run(insert("a")), // UNIQUE: sees the first write of its own group
      queue.run(insert("b")),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["fulfilled", "rejected", "rejected", "fulfilled"],
    );
    assert.equal((outcomes[1] as PromiseRejectedResult).reason, conflict);
    assert.match(String((outcomes[2] as PromiseRejectedResult).reason), /UNIQUE/);
    assert.deepEqual(committed(), ["a", "b"]);
    assert.equal(commits, 1);
  });

  it("resolves a write only once it is committed, visible to another connection", async () => {
    let seenAtResolve: string[] = [];
    await queue.run(insert("durable")).then(() => {
      seenAtResolve = committed();
    });
    assert.deepEqual(seenAtResolve, ["durable"]);
  });

  it("rejects the whole group, writing nothing, when its COMMIT fails, and carries on after", async () => {
    const outcomes = await Promise.allSettled([
      queue.run(insert("a")),
      // A deferred foreign key is checked at COMMIT: the commit of the whole group fails.
      queue.run(() => db.prepare("INSERT INTO links (id, item) VALUES (1, 'missing')").run()),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["rejected", "rejected"],
    );
    assert.match(String((outcomes[0] as PromiseRejectedResult).reason), /FOREIGN KEY/);
    assert.equal(db.inTransaction, false);
    assert.deepEqual(committed(), []);
    await queue.run(insert("after"));
    assert.deepEqual(committed(), ["after"]);
  });

  it("rejects the group when another connection holds the write lock past the busy timeout", async () => {
    const holder = new Database(file, { timeout: 0 });
    others.push(holder);
    db.pragma("busy_timeout = 0");
    holder.exec("BEGIN IMMEDIATE");
    await assert.rejects(queue.run(insert("blocked")), /locked|busy/i);
    holder.exec("ROLLBACK");
    await queue.run(insert("free"));
    assert.deepEqual(committed(), ["free"]);
  });

  it("splits a queue longer than maxBatch over several commits, keeping the order", async () => {
    const small = new SqliteWriteQueue(db, { maxBatch: 3, onCommit: () => commits++ });
    const values = Array.from({ length: 7 }, (_, i) => `w${i}`);
    await Promise.all(values.map((value) => small.run(insert(value))));
    assert.deepEqual(committed(), values);
    assert.equal(commits, 3);
  });

  it("commits what is queued when closed, then refuses new writes", async () => {
    const pending = queue.run(insert("queued"));
    queue.close();
    assert.deepEqual(committed(), ["queued"], "committed synchronously by close");
    assert.equal(await pending, "queued");
    await assert.rejects(queue.run(insert("late")), /closed/);
  });

  it("refuses a negative at-once budget", () => {
    assert.throws(() => new SqliteWriteQueue(db, { atOnceBudgetMs: -1 }), RangeError);
  });

  it("refuses a maxBatch that is not a positive integer", () => {
    assert.throws(() => new SqliteWriteQueue(db, { maxBatch: 0 }), RangeError);
  });
});
