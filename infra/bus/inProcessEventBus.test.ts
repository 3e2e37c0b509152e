import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InProcessEventBus } from "./inProcessEventBus.js";
import { eventBusContract } from "./test/eventBusContract.js";

eventBusContract("in-process", async () => {
  const bus = new InProcessEventBus(undefined, 1);
  return { bus, cleanup: () => bus.close() };
});

describe("in-process bus", () => {
  it("resolves publish only after every group handled the message", async () => {
    const bus = new InProcessEventBus();
    let handled = false;
    await bus.subscribe("t", { group: "slow" }, async () => {
      await new Promise((r) => setTimeout(r, 30));
      handled = true;
    });
    await bus.publish("t", [{ key: "k", value: 1 }]);
    assert.equal(handled, true);
    await bus.close();
  });
});
