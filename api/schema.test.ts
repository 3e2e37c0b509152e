import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { printApiSchema } from "./schema.js";

const committedSchema = new URL("../../schema.graphql", import.meta.url);

describe("schema.graphql", () => {
  it("is exactly what the resolvers emit (run `npm run schema:emit` after changing the API)", async () => {
    const committed = await readFile(committedSchema, "utf8");
    assert.equal(committed, await printApiSchema());
  });

  it("has the shape scripts rely on", async () => {
    const sdl = await printApiSchema();
    for (const line of [
      "createClone(idempotencyKey: String, input: CreateCloneInput!): Clone!",
      "clone(id: ID!): Clone",
      "clones(after: String, first: Int = 20): CloneConnection!",
      "cloneEvents(id: ID!): [CloneEvent!]!",
      "cloneUpdated(id: ID!): Clone!",
      "uploadSource(cloneId: ID!, file: Upload!, idempotencyKey: String): Clone!",
    ])
      assert.ok(sdl.includes(line), `schema lacks: ${line}`);
  });
});
