import { describe, it } from "node:test";
import { EventStoreDbEventStore } from "./eventStoreDbEventStore.js";
import { eventStoreContract } from "./test/eventStoreContract.js";

const SKIP_REASON =
  "skipped: EventStoreDB suite needs EVENTSTORE_URL (e.g. esdb://127.0.0.1:2113?tls=false); no EventStoreDB server is available here";

const url = process.env.EVENTSTORE_URL;

if (url === undefined || url === "") {
  // Said once, plainly, so a green run without a server is not mistaken for a run against one.
  console.log(SKIP_REASON);
  describe("EventStore contract: EventStoreDbEventStore", () => {
    it("runs against a real EventStoreDB server", { skip: SKIP_REASON }, () => {});
  });
} else {
  const connectionString = url;
  // Each test gets its own client; the server is shared, so the contract keeps to fresh stream ids.
  eventStoreContract("EventStoreDbEventStore", async () => {
    const store = EventStoreDbEventStore.connect(connectionString);
    return {
      store,
      reopen: async () => EventStoreDbEventStore.connect(connectionString),
      cleanup: () => store.close(),
    };
  });
}
