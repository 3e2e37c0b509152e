/** The lancedb RAG plugin: the embedded default for retrieval over the person's documents. */
import { definePlugin } from "../../runtime/plugin/pluginApi.js";
import { lancedbConfigSchema } from "./lancedbConfig.js";
import { LancedbRag } from "./lancedbRag.js";

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
  create: (context) => new LancedbRag(context),
});
