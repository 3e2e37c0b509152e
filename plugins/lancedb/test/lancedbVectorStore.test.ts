import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemoryStorage, ragTestContext, vectorStoreContract } from "@aiclone/plugin-sdk/testing";
import { lancedbConfigSchema } from "../lancedbConfig.js";
import { LancedbVectorStore } from "../lancedbVectorStore.js";

const DIMENSIONS = 8;

vectorStoreContract("lancedb (an embedded table on disk)", async () => {
  const root = await mkdtemp(join(tmpdir(), "rag-lancedb-store-"));
  const context = ragTestContext({
    config: lancedbConfigSchema.parse({ documentsDir: join(root, "docs") }),
    dataDir: join(root, "data"),
    storage: new InMemoryStorage(),
    embeddings: {
      model: "contract-test",
      dimensions: DIMENSIONS,
      embed: async () => {
        throw new Error("the store never embeds");
      },
    },
  });
  return {
    store: new LancedbVectorStore(context),
    dimensions: DIMENSIONS,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
