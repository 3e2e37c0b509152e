import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EngineBusyError, SlotPool } from "./slotPool.js";

describe("SlotPool", () => {
  it("lends free slots, then queues in arrival order", async () => {
    const pool = new SlotPool(["a", "b"], 10);
    const first = await pool.acquire();
    const second = await pool.acquire();
    const order: string[] = [];
    const third = pool.acquire().then((lease) => {
      order.push(`third:${lease.slot}`);
      return lease;
    });
    const fourth = pool.acquire().then((lease) => {
      order.push(`fourth:${lease.slot}`);
      return lease;
    });
    assert.equal(pool.waiting, 2);
    second.release();
    first.release();
    await Promise.all([third, fourth]);
    assert.deepEqual(order, ["third:b", "fourth:a"]);
  });

  it("prefers the slot the caller asks for among free ones", async () => {
    const pool = new SlotPool(["a", "b", "c"], 1);
    const lease = await pool.acquire(undefined, (slot) => slot === "c");
    assert.equal(lease.slot, "c");
  });

  it("takes the first free slot when the caller prefers none of them", async () => {
    const pool = new SlotPool(["a", "b", "c"], 1);
    assert.equal((await pool.acquire(undefined, (slot) => slot === "z")).slot, "a");
    assert.equal((await pool.acquire(undefined, (slot) => slot === "c")).slot, "c");
    assert.equal((await pool.acquire()).slot, "b");
  });

  it("refuses when the queue is full, naming the limit", async () => {
    const pool = new SlotPool(["a"], 1);
    await pool.acquire();
    void pool.acquire();
    await assert.rejects(pool.acquire(), (error: unknown) => {
      assert.ok(error instanceof EngineBusyError);
      assert.match(error.message, /queue holds 1/);
      return true;
    });
  });

  it("drops an aborted waiter from the queue", async () => {
    const pool = new SlotPool(["a"], 5);
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort(new Error("client went away"));
    await assert.rejects(waiting, /client went away/);
    assert.equal(pool.waiting, 0);
    held.release();
    assert.equal(pool.available, 1);
  });

  it("a double release does not lend a slot twice", async () => {
    const pool = new SlotPool(["a"], 5);
    const lease = await pool.acquire();
    lease.release();
    lease.release();
    assert.equal(pool.available, 1);
  });
});
