import { createHash } from "node:crypto";
import type { Collection, Document } from "../../infra/docstore/documentStore.js";
import { apiError } from "../errors.js";

export interface IdempotencyRecord extends Document {
  _id: string;
  operation: string;
  requestHash: string;
  state: "pending" | "done";
  result: Record<string, unknown> | null;
  createdAt: string;
}

/**
 * A retried mutation with the same idempotency key returns the first outcome instead of acting
 * twice. Keys are scoped per owner; reusing a key for a different request is a CONFLICT.
 */
export class IdempotencyGuard {
  constructor(private readonly records: Collection<IdempotencyRecord>) {}

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
    const fresh: IdempotencyRecord = {
      _id: id,
      operation,
      requestHash,
      state: "pending",
      result: null,
      createdAt: new Date().toISOString(),
    };
    if (!(await this.records.insert(fresh))) {
      const existing = await this.records.get(id);
      if (!existing || existing.requestHash !== requestHash)
        throw apiError("CONFLICT", "idempotencyKey was already used for a different request", {
          field: "idempotencyKey",
        });
      if (existing.state === "pending")
        throw apiError("CONFLICT", "a request with this idempotencyKey is still in progress; retry shortly");
      return existing.result as R;
    }
    try {
      const result = await action();
      await this.records.put({ ...fresh, state: "done", result });
      return result;
    } catch (error) {
      // A refused or failed request did nothing, so the key may be used again.
      await this.records.delete(id);
      throw error;
    }
  }
}
