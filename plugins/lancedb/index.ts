/** The lancedb RAG plugin: the embedded default for retrieval over the person's documents. */
import { definePlugin } from "../../runtime/plugin/pluginApi.js";
import { RagIndexer } from "../../runtime/plugin/pluginKit.js";
import { lancedbConfigSchema } from "./lancedbConfig.js";
import { LancedbVectorStore } from "./lancedbVectorStore.js";

export default definePlugin({
  manifest: {
    name: "lancedb",
    kind: "rag",
    version: "1.0.0",
    apiVersion: "^1.0.0",
    description:
      "Indexes a folder of md, txt and pdf files into an embedded LanceDB; hybrid full-text + vector search",
    configSchema: lancedbConfigSchema,
  },
  create: (context) => new RagIndexer("lancedb", context, new LancedbVectorStore(context)),
});
