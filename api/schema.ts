import "reflect-metadata";
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { resolvers } from "./resolvers/index.js";

/**
 * type-graphql insists on a PubSub even when every subscription brings its own `subscribe` (ours read the
 * UpdateFeed), so it gets one that refuses topic-based use instead of silently never delivering.
 */
const noTopicPubSub = {
  publish(): never {
    throw new Error("topic-based subscriptions are not used: subscriptions read the UpdateFeed");
  },
  subscribe(): never {
    throw new Error("topic-based subscriptions are not used: subscriptions read the UpdateFeed");
  },
};

/** The executable schema. Inputs are validated by the domain, so type-graphql's class-validator pass is off. */
export function buildApiSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, validate: false, emitSchemaFile: false, pubSub: noTopicPubSub });
}

/** The SDL written to `schema.graphql`: sorted, so the file only changes when the API does. */
export async function printApiSchema(): Promise<string> {
  const schema = await buildApiSchema();
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
