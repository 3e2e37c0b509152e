import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspectionOf } from "./inspectionOf.js";

describe("an inspection says why inputs were skipped", () => {
  it("by reason, most frequent first, each with up to three places from the examples", () => {
    const inspection = inspectionOf({
      formats: ["telegram-json"],
      records: 3,
      messages: 1,
      chats: [],
      participants: [],
      dateRange: null,
      accountOwners: [],
      skippedInputs: {
        total: 6,
        byReason: { nestedArchive: 1, unknownFormat: 4, "a reader's own words": 1 },
        examples: [
          {
            code: "nestedArchive",
            reason: "an archive inside the upload is not opened",
            where: "a.zip: old.zip",
          },
          ...["x.md", "y.md", "z.md", "w.md"].map((name) => ({
            code: "unknownFormat",
            reason: "not a chat export this platform can read",
            where: `a.zip: ${name}`,
          })),
          { reason: "a reader's own words", where: "a.zip: chat.txt:3" },
        ],
      },
    });
    assert.equal(inspection.skipped, 6);
    assert.deepEqual(inspection.skippedReasons, [
      { reason: "unknownFormat", count: 4, where: ["a.zip: x.md", "a.zip: y.md", "a.zip: z.md"] },
      { reason: "a reader's own words", count: 1, where: ["a.zip: chat.txt:3"] },
      { reason: "nestedArchive", count: 1, where: ["a.zip: old.zip"] },
    ]);
  });
});
