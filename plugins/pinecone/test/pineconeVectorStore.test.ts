import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ragTestContext, vectorStoreContract } from "@aiclone/plugin-sdk/testing";
import { PineconeStandIn } from "@aiclone/testing/pineconeStandIn";
import { pineconeConfigSchema } from "../pineconeConfig.js";
import { PineconeVectorStore } from "../pineconeVectorStore.js";

const API_KEY = "pcsk_test_0123456789";
const DIMENSIONS = 8;

vectorStoreContract("pinecone (a local stand-in of the Pinecone API, FTS5 on disk)", async () => {
  const root = await mkdtemp(join(tmpdir(), "rag-pinecone-store-"));
  const standIn = new PineconeStandIn(API_KEY, "contract", DIMENSIONS);
  await standIn.start();
  const context = ragTestContext({
    config: pineconeConfigSchema.parse({
      apiKey: API_KEY,
      indexName: "contract",
      namespace: "anna",
      controllerHostUrl: standIn.url,
      documentsDir: join(root, "docs"),
      upsertBatch: 2,
    }),
    dataDir: join(root, "data"),
    embeddings: {
      model: "contract-test",
      dimensions: DIMENSIONS,
      embed: async () => {
        throw new Error("the store never embeds");
      },
    },
  });
  return {
    store: new PineconeVectorStore(context),
    dimensions: DIMENSIONS,
    cleanup: async () => {
      await standIn.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
});
