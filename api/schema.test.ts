import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import type { GraphQLObjectType } from "graphql";
import { buildApiSchema, printApiSchema } from "./schema.js";

const committedSchema = new URL("../../schema.graphql", import.meta.url);

describe("schema.graphql", () => {
  it("is exactly what the resolvers emit (run `npm run schema:emit` after changing the API)", async () => {
    const committed = await readFile(committedSchema, "utf8");
    assert.equal(committed, await printApiSchema());
  });

  it("has the shape scripts rely on", async () => {
    const schema = await buildApiSchema();
    const signature = (root: "Query" | "Mutation" | "Subscription", name: string) => {
      const field = (schema.getType(root) as GraphQLObjectType).getFields()[name];
      assert.ok(field, `${root}.${name} is missing`);
      const args = field.args.map((a) => `${a.name}: ${String(a.type)}`).sort();
      return `${name}(${args.join(", ")}): ${String(field.type)}`;
    };
    assert.equal(
      signature("Mutation", "createClone"),
      "createClone(idempotencyKey: String, input: CreateCloneInput!): Clone!",
    );
    assert.equal(signature("Query", "clone"), "clone(id: ID!): Clone");
    assert.equal(signature("Query", "clones"), "clones(after: String, first: Int): CloneConnection!");
    assert.equal(signature("Query", "cloneEvents"), "cloneEvents(id: ID!): [CloneEvent!]!");
    assert.equal(signature("Subscription", "cloneUpdated"), "cloneUpdated(id: ID!): Clone!");
    assert.equal(signature("Subscription", "cloneEvents"), "cloneEvents(id: ID!): CloneEvent!");
    const event = (schema.getType("CloneEvent") as GraphQLObjectType).getFields();
    assert.equal(String(event.type?.type), "String!");
    assert.equal(String(event.revision?.type), "Int!");
    const clone = (schema.getType("Clone") as GraphQLObjectType).getFields();
    assert.deepEqual(
      [String(clone.id?.type), String(clone.name?.type), String(clone.status?.type)],
      ["ID!", "String!", "CloneStatus!"],
    );
  });
});
