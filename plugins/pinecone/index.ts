/** The pinecone RAG plugin: retrieval with a hosted Pinecone index, for people who keep vectors off the machine. */
import { definePlugin } from "../../runtime/plugin/pluginApi.js";
import { pineconeConfigSchema } from "./pineconeConfig.js";
import { PineconeRag } from "./pineconeRag.js";

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
  create: (context) => new PineconeRag(context),
});
