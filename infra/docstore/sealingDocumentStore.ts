import { openValue, sealValue } from "../crypto/aesGcm.js";
import { DataKeyDestroyedError, type DataKeyring } from "../crypto/dataKeyring.js";
import type { Collection, Document, DocumentStore, Filter, FindOptions } from "./documentStore.js";
import type { SealedFields, SealingPolicy } from "./sealedFields.js";

/** Where a document's sealed fields sit in the stored document. */
export const SEALED_DOCUMENT_FIELD = "sealedPersonalData";

/**
 * A document store whose collections named by the policy keep only their plain fields (ids, states,
 * revisions, times) in the clear: every other field is encrypted (AES-256-GCM, under the data key of the
 * document's scope — its clone's — with the scope and `_id` authenticated, so a sealed part cannot be
 * moved to another document) and opened on read. Once the key is destroyed the document reads with those
 * fields erased, wherever a copy of the store went. Queries, sorts, guards and indexes may use the plain
 * fields only; one on a sealed field is refused instead of silently matching nothing. Wraps any adapter.
 */
export class SealingDocumentStore implements DocumentStore {
  constructor(
    private readonly inner: DocumentStore,
    private readonly keyring: DataKeyring,
    private readonly policy: SealingPolicy,
  ) {}

  collection<T extends Document = Document>(name: string): Collection<T> {
    const fields = this.policy(name);
    const inner = this.inner.collection<T>(name);
    return fields ? new SealingCollection<T>(inner, name, fields, this.keyring) : inner;
  }

  dropCollections(prefix: string): Promise<void> {
    return this.inner.dropCollections(prefix);
  }

  flushDeletions(): Promise<void> {
    return this.inner.flushDeletions();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

class SealingCollection<T extends Document> implements Collection<T> {
  private readonly plain: ReadonlySet<string>;

  constructor(
    private readonly inner: Collection<Document>,
    private readonly name: string,
    private readonly fields: SealedFields,
    private readonly keyring: DataKeyring,
  ) {
    this.plain = new Set(["_id", ...fields.plain]);
  }

  async get(id: string): Promise<T | null> {
    const stored = await this.inner.get(id);
    return stored && this.open(stored);
  }

  async getMany(ids: string[]): Promise<(T | null)[]> {
    return Promise.all((await this.inner.getMany(ids)).map((stored) => stored && this.open(stored)));
  }

  async upsertGuardedMany(docs: T[], guardField: string): Promise<boolean[]> {
    this.queries([guardField]);
    return this.inner.upsertGuardedMany(await Promise.all(docs.map((doc) => this.seal(doc))), guardField);
  }

  async find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    this.queries([...Object.keys(filter), ...(options.sort ? [options.sort.field] : [])]);
    return Promise.all((await this.inner.find(filter, options)).map((d) => this.open(d)));
  }

  async count(filter: Filter = {}): Promise<number> {
    this.queries(Object.keys(filter));
    return this.inner.count(filter);
  }

  async insert(doc: T): Promise<boolean> {
    return this.inner.insert(await this.seal(doc));
  }

  async upsertGuarded(doc: T, guardField: string): Promise<boolean> {
    this.queries([guardField]);
    return this.inner.upsertGuarded(await this.seal(doc), guardField);
  }

  async put(doc: T): Promise<void> {
    await this.inner.put(await this.seal(doc));
  }

  delete(id: string): Promise<boolean> {
    return this.inner.delete(id);
  }

  async deleteMany(filter: Filter): Promise<number> {
    this.queries(Object.keys(filter));
    return this.inner.deleteMany(filter);
  }

  async ensureIndex(fields: string[], options?: { unique?: boolean }): Promise<void> {
    this.queries(fields);
    await this.inner.ensureIndex(fields, options);
  }

  /** Throws for a field path whose top-level field is sealed. */
  private queries(paths: string[]): void {
    for (const path of paths) {
      const field = path.split(".")[0] ?? path;
      if (!this.plain.has(field))
        throw new Error(
          `collection ${this.name}: ${path} is sealed; filters, sorts, guards and indexes may use only ${[...this.plain].join(", ")}`,
        );
    }
  }

  private async seal(doc: T): Promise<Document> {
    const plain: Document = { _id: doc._id };
    const personal: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(doc))
      if (this.plain.has(field)) plain[field] = value;
      else personal[field] = value;
    const scope = this.fields.scopeOf(doc._id);
    const key = await this.keyring.keyFor(scope).catch((error: unknown) => {
      // A destroyed key: whatever is written now reads as erased, so nothing of it is kept.
      if (error instanceof DataKeyDestroyedError) return null;
      throw error;
    });
    if (!key) return plain;
    const sealed = sealValue(key, Buffer.from(JSON.stringify(personal), "utf8"), aad(scope, doc._id));
    return { ...plain, [SEALED_DOCUMENT_FIELD]: sealed.toString("base64") };
  }

  private async open(stored: Document): Promise<T> {
    const { [SEALED_DOCUMENT_FIELD]: sealed, ...rest } = stored;
    // Stored before its collection was sealed (fields in the clear), or written after the key was destroyed.
    if (typeof sealed !== "string") return { ...this.fields.erased, ...rest } as T;
    const scope = this.fields.scopeOf(stored._id);
    const key = await this.keyring.existingKey(scope);
    if (!key) return { ...this.fields.erased, ...rest } as T;
    const opened = openValue(key, Buffer.from(sealed, "base64"), aad(scope, stored._id));
    if (!opened)
      throw new Error(`document ${stored._id} of ${this.name}: its sealed fields failed authentication`);
    return { ...rest, ...(JSON.parse(opened.toString("utf8")) as Record<string, unknown>) } as T;
  }
}

const aad = (scope: string, id: string): Buffer => Buffer.from(`aiclone document\n${scope}\n${id}`, "utf8");
