/** The lancedb vector-store plugin: the embedded default for retrieval over the person's documents. */
import { definePlugin } from "@aiclone/plugin-sdk";
import { lancedbConfigSchema } from "./lancedbConfig.js";
import { LancedbVectorStore } from "./lancedbVectorStore.js";

export { type LancedbConfig, lancedbConfigSchema } from "./lancedbConfig.js";

export default definePlugin({
  manifest: {
    name: "lancedb",
    kind: "vector-store",
    version: "1.0.0",
    apiVersion: "^1.1.0",
    description:
      "Indexes a folder of md, txt and pdf files into an embedded LanceDB; hybrid full-text + vector search",
    configSchema: lancedbConfigSchema,
  },
  create: (context) => new LancedbVectorStore(context),
});
