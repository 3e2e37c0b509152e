/** The pinecone RAG plugin: retrieval with a hosted Pinecone index, for people who keep vectors off the machine. */
import { definePlugin } from "../../runtime/plugin/pluginApi.js";
import { RagIndexer } from "../../runtime/plugin/pluginKit.js";
import { pineconeConfigSchema } from "./pineconeConfig.js";
import { PineconeVectorStore } from "./pineconeVectorStore.js";

export default definePlugin({
  manifest: {
    name: "pinecone",
    kind: "rag",
    version: "1.0.0",
    apiVersion: "^1.0.0",
    description:
      "Indexes a folder of md, txt and pdf files into a Pinecone index; hybrid vector + local full-text search",
    configSchema: pineconeConfigSchema,
  },
  // The store is made first: without an embedding model it refuses, before anything starts.
  create: (context) => new RagIndexer("pinecone", context, new PineconeVectorStore(context)),
});
