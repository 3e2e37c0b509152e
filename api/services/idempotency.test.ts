import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SqliteDocumentStore } from "../../infra/docstore/sqliteDocumentStore.js";
import { IdempotencyGuard, type IdempotencyRecord } from "./idempotency.js";

const dir = await mkdtemp(join(tmpdir(), "idempotency-"));
const store = await SqliteDocumentStore.open(join(dir, "read-models.sqlite"));
after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("idempotency keys", () => {
  const records = store.collection<IdempotencyRecord>("idempotency_keys");

  /** What a request killed with its process (SIGKILL) leaves: a pending record nobody renews. */
  const leftByACrash = (key: string, beatAgoMs: number, withHeartbeat = true): IdempotencyRecord => {
    const at = new Date(Date.now() - beatAgoMs).toISOString();
    return {
      _id: `owner:${key}`,
      operation: "publishClone",
      requestHash: createHash("sha256")
        .update(JSON.stringify(["publishClone", { cloneId: "c" }]))
        .digest("hex"),
      state: "pending",
      result: null,
      createdAt: at,
      ...(withHeartbeat ? { heartbeatAt: at } : {}),
    };
  };

  it("a key left pending by a dead request is refused within the lease and taken over after it", async () => {
    const guard = new IdempotencyGuard(records, 200);
    let runs = 0;
    const publish = () =>
      guard.run("owner", "k1", "publishClone", { cloneId: "c" }, async () => ({ ran: ++runs }));
    await records.put(leftByACrash("k1", 50));
    await assert.rejects(publish(), /still in progress/);
    assert.equal(runs, 0);
    await records.put(leftByACrash("k1", 1_000));
    assert.deepEqual(await publish(), { ran: 1 }, "the retry runs the request");
    assert.deepEqual(await publish(), { ran: 1 }, "and its outcome is kept");
    assert.equal(runs, 1);
  });

  it("a request that runs longer than the lease keeps its key: it renews it", async () => {
    const guard = new IdempotencyGuard(records, 150);
    const slow = guard.run("owner", "k2", "publishClone", { cloneId: "c" }, async () => {
      await sleep(600);
      return { slow: true };
    });
    await sleep(450);
    await assert.rejects(
      guard.run("owner", "k2", "publishClone", { cloneId: "c" }, async () => ({ second: true })),
      /still in progress/,
      "a live request is not taken over",
    );
    assert.deepEqual(await slow, { slow: true });
    assert.equal((await records.get("owner:k2"))?.state, "done");
  });

  it("a pending record without a heartbeat (written before heartbeats existed) expires by its age", async () => {
    await records.put(leftByACrash("k3", 60_000, false));
    const guard = new IdempotencyGuard(records, 1_000);
    assert.deepEqual(
      await guard.run("owner", "k3", "publishClone", { cloneId: "c" }, async () => ({ ran: true })),
      { ran: true },
    );
    await records.put(leftByACrash("k4", 60_000, false));
    await assert.rejects(
      guard.run("owner", "k4", "publishClone", { cloneId: "other" }, async () => ({})),
      /different request/,
      "an expired key still belongs to its own request",
    );
  });
});
