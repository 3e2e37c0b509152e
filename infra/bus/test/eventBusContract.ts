import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { waitFor } from "@aiclone/testing/until";
import { type DeliveredMessage, deadLetterTopic, type EventBus } from "../eventBus.js";

export interface BusFixture {
  bus: EventBus;
  cleanup(): Promise<void>;
}

/** The contract's waits: 20 s, for a real broker's rebalances. */
const until = (check: () => boolean, what: string) => waitFor(check, what, 20_000);

/** The behaviour every bus adapter must show; run against each adapter. */
export function eventBusContract(name: string, makeBus: () => Promise<BusFixture>): void {
  describe(`event bus contract: ${name}`, () => {
    let fixture: BusFixture;
    before(async () => {
      fixture = await makeBus();
    });
    after(async () => fixture.cleanup());
    const topic = () => `t-${randomUUID().slice(0, 8)}`;

    it("delivers every message to every group, in order per key", async () => {
      const t = topic();
      const seen: Record<string, string[]> = { a: [], b: [] };
      for (const g of ["a", "b"] as const)
        await fixture.bus.subscribe(t, { group: g }, async (m) => {
          seen[g]!.push(`${m.key}:${String(m.value)}`);
        });
      const messages = Array.from({ length: 200 }, (_, i) => ({ key: `k${i % 7}`, value: i }));
      await fixture.bus.publish(t, messages);
      await until(() => seen.a!.length === 200 && seen.b!.length === 200, "200 messages in each group");
      for (const g of ["a", "b"]) {
        for (let k = 0; k < 7; k++) {
          const values = seen[g]!.filter((s) => s.startsWith(`k${k}:`)).map((s) => Number(s.split(":")[1]));
          assert.deepEqual(
            values,
            [...values].sort((x, y) => x - y),
            `group ${g} key k${k} out of order`,
          );
        }
      }
    });

    it("splits a group's messages between its consumers, each message once", async () => {
      const t = topic();
      const one: string[] = [];
      const two: string[] = [];
      await fixture.bus.subscribe(t, { group: "shared" }, async (m) => {
        one.push(m.key);
      });
      await fixture.bus.subscribe(t, { group: "shared" }, async (m) => {
        two.push(m.key);
      });
      await fixture.bus.publish(
        t,
        Array.from({ length: 100 }, (_, i) => ({ key: `key-${i}`, value: i })),
      );
      await until(() => one.length + two.length === 100, "100 messages shared by the group's members");
      assert.equal(new Set([...one, ...two]).size, 100);
      assert.ok(one.length > 0 && two.length > 0, `one=${one.length} two=${two.length}`);
    });

    it("retries a failing handler, then dead-letters the message and keeps going", async () => {
      const t = topic();
      const handled: number[] = [];
      const attempts: number[] = [];
      const dead: DeliveredMessage[] = [];
      await fixture.bus.subscribe(deadLetterTopic(t), { group: "dlq" }, async (m) => {
        dead.push(m);
      });
      await fixture.bus.subscribe(t, { group: "w", maxAttempts: 3 }, async (m) => {
        if (m.value === "poison") {
          attempts.push(m.attempt);
          throw new Error("cannot handle poison");
        }
        handled.push(Number(m.value));
      });
      await fixture.bus.publish(t, [
        { key: "x", value: 1 },
        { key: "x", value: "poison" },
        { key: "x", value: 2 },
      ]);
      await until(() => handled.length === 2 && dead.length === 1, "two handled and one dead letter");
      assert.deepEqual(handled, [1, 2]);
      assert.deepEqual(attempts, [1, 2, 3]);
      assert.equal(dead[0]?.value, "poison");
      assert.equal(dead[0]?.headers?.["x-original-topic"], t);
      assert.match(dead[0]?.headers?.["x-error"] ?? "", /cannot handle poison/);
    });

    it("hands a batch subscriber what arrived together, in order per key, each message once", async () => {
      const t = topic();
      const seen: string[] = [];
      let calls = 0;
      await fixture.bus.subscribeBatch(t, { group: "batch" }, async (messages) => {
        calls++;
        for (const m of messages) seen.push(`${m.key}:${String(m.value)}`);
      });
      const messages = Array.from({ length: 300 }, (_, i) => ({ key: `k${i % 5}`, value: i }));
      await fixture.bus.publish(t, messages);
      await until(() => seen.length === 300, "300 messages in the batch group");
      assert.equal(new Set(seen).size, 300);
      for (let k = 0; k < 5; k++) {
        const values = seen.filter((s) => s.startsWith(`k${k}:`)).map((s) => Number(s.split(":")[1]));
        assert.deepEqual(
          values,
          [...values].sort((x, y) => x - y),
          `key k${k} out of order`,
        );
      }
      assert.ok(calls < 300, `${calls} calls for 300 messages published together: not batched`);
    });

    it("hands a failed batch over one message at a time, then retries and dead-letters as subscribe does", async () => {
      const t = topic();
      const handled = new Set<number>();
      const sizes: number[] = [];
      const poisonAttempts: number[] = [];
      const dead: DeliveredMessage[] = [];
      await fixture.bus.subscribe(deadLetterTopic(t), { group: "dlq" }, async (m) => {
        dead.push(m);
      });
      await fixture.bus.subscribeBatch(t, { group: "w", maxAttempts: 2 }, async (messages) => {
        sizes.push(messages.length);
        const poison = messages.find((m) => m.value === "poison");
        if (poison) {
          if (messages.length === 1) poisonAttempts.push(poison.attempt);
          throw new Error("cannot handle poison");
        }
        for (const m of messages) handled.add(Number(m.value));
      });
      await fixture.bus.publish(t, [
        { key: "x", value: 1 },
        { key: "x", value: "poison" },
        { key: "x", value: 2 },
      ]);
      await until(() => handled.size === 2 && dead.length === 1, "two handled and one dead letter");
      assert.deepEqual([...handled].sort(), [1, 2]);
      assert.deepEqual(poisonAttempts, [1, 2]);
      assert.equal(dead[0]?.value, "poison");
      assert.ok(
        sizes.some((n) => n === 1),
        "no message went alone after the failed batch",
      );
    });

    it("carries JSON values with Cyrillic text and emoji unchanged", async () => {
      const t = topic();
      const got: unknown[] = [];
      await fixture.bus.subscribe(t, { group: "g" }, async (m) => {
        got.push(m.value);
      });
      const value = { text: "Привет, как дела? 😀", nested: { n: 1.5, ok: true, none: null } };
      await fixture.bus.publish(t, [{ key: "ключ", value }]);
      await until(() => got.length === 1, "one message");
      assert.deepEqual(got[0], value);
    });
  });
}
