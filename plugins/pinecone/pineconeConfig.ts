/** The pinecone plugin's configuration (the `config` of its entry in clone.json), validated by the host. */
import { z } from "zod";

export const pineconeConfigSchema = z.object({
  /** A Pinecone API key; clone.json may hold it, but an environment variable is the safer home. */
  apiKey: z
    .string()
    .min(1)
    // It travels in an HTTP header: anything else is a copy-paste accident that would fail on every request.
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces, as Pinecone keys are"),
  /** An existing dense index whose dimension equals the embedding model's, metric cosine. */
  indexName: z.string().min(1).max(45),
  /** The namespace this clone's vectors live in; the index may serve other namespaces too. */
  namespace: z.string().default(""),
  /** The control plane's address: only for tests or a private deployment. */
  controllerHostUrl: z.url().optional(),
  /** The folder of the person's documents (md, txt, pdf), indexed recursively. */
  documentsDir: z.string().min(1),
  chunkLimit: z.number().int().min(1).max(100).default(6),
  /** Share of the vector ranking in the fusion (0 = full-text only, 1 = vectors only). */
  hybridWeight: z.number().min(0).max(1).default(0.5),
  /** Vectors per upsert request (Pinecone accepts up to 1000, or 2 MB). */
  upsertBatch: z.number().int().min(1).max(1000).default(100),
});

export type PineconeConfig = z.infer<typeof pineconeConfigSchema>;
