import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import { runLoad } from "../../bench/loadProfile.js";

/** The load script's short profile: under concurrent load nothing fails and no subscriber misses an event. */
describe("load (short profile)", () => {
  it("serves 200 clients, 50 subscriptions and 8 chats without errors or lost events", async () => {
    const report = await runLoad({
      seconds: 4,
      clients: 200,
      subscriptions: 50,
      writers: 4,
      chats: 8,
      modelPath: join(sharedDataDir(), "models", "llama-2-tiny-random.gguf"),
    });
    console.log(JSON.stringify(report));
    assert.ok(report.graphql.requests > 0);
    assert.equal(report.graphql.errors, 0, "GraphQL requests that failed");
    assert.ok(report.mutations.done > 0);
    assert.equal(report.mutations.failed, 0);
    assert.ok(report.subscriptions.expectedEvents > 0);
    assert.equal(report.subscriptions.lost, 0, "events a subscriber missed");
    assert.ok(report.chats && report.chats.done > 0);
    assert.equal(report.chats?.failed, 0);
  });
});
