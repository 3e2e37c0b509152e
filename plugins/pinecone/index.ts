/** The pinecone vector-store plugin: retrieval with a hosted Pinecone index, for people who keep vectors off the machine. */
import { definePlugin } from "@aiclone/plugin-sdk";
import { pineconeConfigSchema } from "./pineconeConfig.js";
import { PineconeVectorStore } from "./pineconeVectorStore.js";

export { type PineconeConfig, pineconeConfigSchema } from "./pineconeConfig.js";
export { pathPrefix } from "./pineconeVectorStore.js";

export default definePlugin({
  manifest: {
    name: "pinecone",
    kind: "vector-store",
    version: "1.0.0",
    apiVersion: "^1.1.0",
    description:
      "Indexes a folder of md, txt and pdf files into a Pinecone index; hybrid vector + local full-text search",
    configSchema: pineconeConfigSchema,
  },
  // The store is made first: without an embedding model it refuses, before anything starts.
  create: (context) => new PineconeVectorStore(context),
});
