import { createHash } from "node:crypto";
import type { Collection, Document, Filter } from "../../infra/docstore/documentStore.js";
import { apiError } from "../errors.js";

export interface IdempotencyRecord extends Document {
  _id: string;
  operation: string;
  requestHash: string;
  state: "pending" | "done";
  result: Record<string, unknown> | null;
  createdAt: string;
  /** Renewed while the request runs; a pending record whose beat is older than the lease lost its process. */
  heartbeatAt?: string;
}

/** How long a pending key holds without a heartbeat before a retry may take it over. */
export const DEFAULT_IDEMPOTENCY_LEASE_MS = 30_000;

/**
 * A retried mutation with the same idempotency key returns the first outcome instead of acting
 * twice. Keys are scoped per owner; reusing a key for a different request is a CONFLICT. A request in
 * progress renews its pending record; one whose process died (a crash) stops renewing it, and after the
 * lease a retry with the same key runs the request again instead of being told "in progress" forever.
 */
export class IdempotencyGuard {
  constructor(
    private readonly records: Collection<IdempotencyRecord>,
    private readonly leaseMs = DEFAULT_IDEMPOTENCY_LEASE_MS,
  ) {}

  async run<R extends Record<string, unknown>>(
    ownerId: string,
    key: string | null | undefined,
    operation: string,
    request: unknown,
    action: () => Promise<R>,
  ): Promise<R> {
    if (!key) return action();
    if (key.length > 200)
      throw apiError("BAD_USER_INPUT", "idempotencyKey: at most 200 characters", { field: "idempotencyKey" });
    const id = `${ownerId}:${key}`;
    const requestHash = createHash("sha256")
      .update(JSON.stringify([operation, request]))
      .digest("hex");
    const now = new Date().toISOString();
    const fresh: IdempotencyRecord = {
      _id: id,
      operation,
      requestHash,
      state: "pending",
      result: null,
      createdAt: now,
      heartbeatAt: now,
    };
    if (!(await this.records.insert(fresh))) {
      const existing = await this.records.get(id);
      if (!existing || existing.requestHash !== requestHash)
        throw apiError("CONFLICT", "idempotencyKey was already used for a different request", {
          field: "idempotencyKey",
        });
      if (existing.state === "done") return existing.result as R;
      if (!(await this.takeOverAbandoned(existing, fresh)))
        throw apiError("CONFLICT", "a request with this idempotencyKey is still in progress; retry shortly");
    }
    // Beats are chained, so the final write below can never be overtaken by a late beat.
    let beats: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        beats = beats
          .then(() => this.records.put({ ...fresh, heartbeatAt: new Date().toISOString() }))
          .catch(() => undefined);
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    try {
      const result = await action();
      clearInterval(timer);
      await beats;
      await this.records.put({ ...fresh, state: "done", result });
      return result;
    } catch (error) {
      clearInterval(timer);
      await beats;
      // A refused or failed request did nothing, so the key may be used again.
      await this.records.delete(id);
      throw error;
    }
  }

  /**
   * Replaces a pending record whose heartbeat is older than the lease. The delete matches the exact beat
   * that was read, and the insert fails for all but one of several retries racing for the same key.
   */
  private async takeOverAbandoned(existing: IdempotencyRecord, fresh: IdempotencyRecord): Promise<boolean> {
    const beat = existing.heartbeatAt ?? existing.createdAt;
    if (Date.now() - Date.parse(beat) < this.leaseMs) return false;
    const filter: Filter = { _id: existing._id, state: "pending" };
    if (existing.heartbeatAt) filter.heartbeatAt = existing.heartbeatAt;
    else filter.createdAt = existing.createdAt;
    await this.records.deleteMany(filter);
    return this.records.insert(fresh);
  }
}
