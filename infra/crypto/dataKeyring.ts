import { randomBytes } from "node:crypto";
import type { Collection } from "../docstore/documentStore.js";
import type { MasterKey } from "./masterKey.js";

/** One scope's data key (a clone's), wrapped by the master key; a tombstone once destroyed. */
export interface DataKeyDoc {
  _id: string;
  /** base64 of the wrapped key; absent once destroyed. */
  wrapped?: string;
  masterKeyId?: string;
  createdAt: string;
  destroyedAt?: string;
  [field: string]: unknown;
}

/** The scope's key was destroyed (crypto-shredding): what it encrypted can no longer be read. */
export class DataKeyDestroyedError extends Error {
  override readonly name = "DataKeyDestroyedError";
  constructor(readonly scope: string) {
    super(`the data key of ${scope} was destroyed; its data can no longer be read or written`);
  }
}

/**
 * Per-scope data keys (AES-256, one per clone) kept wrapped in a document-store collection — the key
 * vault pattern of MongoDB's client-side field-level encryption. Destroying a key overwrites its document
 * with a tombstone, so everything encrypted under it becomes unreadable everywhere at once while the
 * event log stays append-only. Unwrapped keys are cached for a short time only, so a key destroyed by
 * one process stops working in the others within `cacheMs`.
 */
export class DataKeyring {
  private readonly cache = new Map<string, { key: Buffer | null; until: number }>();

  constructor(
    private readonly keys: Collection<DataKeyDoc>,
    private readonly master: MasterKey,
    /** Older master keys, by id, still accepted for unwrapping (rotation). */
    private readonly previous: readonly MasterKey[] = [],
    private readonly cacheMs = 30_000,
  ) {}

  /** The scope's key, made on first use; throws DataKeyDestroyedError once destroyed. */
  async keyFor(scope: string): Promise<Buffer> {
    const found = await this.lookup(scope);
    if (found) return found;
    if (found === null) throw new DataKeyDestroyedError(scope);
    const key = randomBytes(32);
    const inserted = await this.keys.insert({
      _id: scope,
      wrapped: this.master.wrap(key, scope),
      masterKeyId: this.master.id,
      createdAt: new Date().toISOString(),
    });
    // Another process made it first: use theirs.
    if (!inserted) return this.keyFor(scope);
    this.remember(scope, key);
    return key;
  }

  /** The scope's key if it exists and was not destroyed; null otherwise. Never creates one. */
  async existingKey(scope: string): Promise<Buffer | null> {
    return (await this.lookup(scope)) ?? null;
  }

  /** The key; null once destroyed; undefined while none was made (not cached: it may be about to be). */
  private async lookup(scope: string): Promise<Buffer | null | undefined> {
    const cached = this.cache.get(scope);
    if (cached && cached.until > Date.now()) return cached.key;
    const doc = await this.keys.get(scope);
    if (!doc?.wrapped && !doc?.destroyedAt) return undefined;
    const key = doc.wrapped ? this.unwrap(doc, scope) : null;
    this.remember(scope, key);
    return key;
  }

  /** Crypto-shredding: the wrapped key is replaced by a tombstone. Idempotent. */
  async destroy(scope: string): Promise<void> {
    await this.keys.put({
      _id: scope,
      createdAt: new Date().toISOString(),
      destroyedAt: new Date().toISOString(),
    });
    this.remember(scope, null);
  }

  /** Scopes that still hold a live key, with when it was made (for the sweeper). */
  async liveScopes(): Promise<{ scope: string; createdAt: string }[]> {
    const docs = await this.keys.find();
    return docs
      .filter((d) => d.wrapped && !d.destroyedAt)
      .map((d) => ({ scope: d._id, createdAt: d.createdAt }));
  }

  /**
   * Master-key rotation: every live key wrapped by a previous master key is wrapped again by the current
   * one. Idempotent; returns how many were re-wrapped. Afterwards the previous keys can be dropped.
   */
  async rewrapAll(): Promise<number> {
    let rewrapped = 0;
    for (const doc of await this.keys.find()) {
      if (!doc.wrapped || doc.destroyedAt || doc.masterKeyId === this.master.id) continue;
      const key = this.unwrap(doc, doc._id);
      await this.keys.put({ ...doc, wrapped: this.master.wrap(key, doc._id), masterKeyId: this.master.id });
      rewrapped++;
    }
    return rewrapped;
  }

  private unwrap(doc: DataKeyDoc, scope: string): Buffer {
    const master = [this.master, ...this.previous].find((m) => m.id === doc.masterKeyId);
    if (!master)
      throw new Error(
        `the data key of ${scope} was wrapped by master key ${doc.masterKeyId}, and this process has ` +
          `${this.master.id}: configure the platform's master key (security.masterKey) in every process`,
      );
    return master.unwrap(doc.wrapped!, scope);
  }

  private remember(scope: string, key: Buffer | null): void {
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(scope, { key, until: Date.now() + this.cacheMs });
  }
}
