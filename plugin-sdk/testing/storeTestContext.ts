/**
 * A PluginContext for vector-store and RAG plugin tests: the document reader and embeddings a test passes
 * (the runtime's real ones in the runtime's indexer tests; none for a store alone), storage an in-memory map
 * that a test can hand to a second context to simulate a restart. Chat methods are not used and throw.
 */

import type { ConfigSchema, DocumentReader, Embeddings, PluginContext } from "../index.js";
import { MemoryPluginStorage } from "./fakePluginContext.js";

/** The plugin storage of the fake plugin context, under the name the RAG tests use. */
export { MemoryPluginStorage as InMemoryStorage };

export interface RagLogEntry {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

export interface RagTestContext<Config> extends PluginContext<Config> {
  logs: RagLogEntry[];
}

/** Validates a config as the host does and throws naming the fields. */
export async function parsePluginConfig<Config>(
  schema: ConfigSchema<Config>,
  value: unknown,
): Promise<Config> {
  const result = await schema["~standard"].validate(value);
  if (result.issues) {
    const key = (p: PropertyKey | { readonly key: PropertyKey }) =>
      String(typeof p === "object" && p !== null ? p.key : p);
    throw new Error(
      `invalid config: ${result.issues.map((i) => `${(i.path ?? []).map(key).join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return result.value;
}

/** A store never reads documents (the runtime's indexer does): a reader that says so if called. */
const noDocuments: DocumentReader = {
  list: () => Promise.reject(new Error("a vector store test reads no documents")),
  chunks: () => Promise.reject(new Error("a vector store test reads no documents")),
};

export function ragTestContext<Config>(options: {
  config: Config;
  dataDir: string;
  storage?: MemoryPluginStorage;
  embeddings?: Embeddings | null;
  documents?: DocumentReader;
  language?: string;
}): RagTestContext<Config> {
  const logs: RagLogEntry[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message: string) => {
    logs.push({ level, fields, message });
  };
  const unused = async (): Promise<never> => {
    throw new Error("not available to RAG plugin tests");
  };
  return {
    logs,
    config: options.config,
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    storage: options.storage ?? new MemoryPluginStorage(),
    dataDir: options.dataDir,
    clone: { id: "anna", version: 1, displayName: "Анна", language: options.language ?? "ru" },
    signal: new AbortController().signal,
    chat: unused,
    complete: unused,
    history: unused,
    conversations: unused,
    forget: unused,
    correct: unused,
    fail(error: unknown) {
      throw error;
    },
    embeddings: options.embeddings ?? null,
    documents: options.documents ?? noDocuments,
  };
}
