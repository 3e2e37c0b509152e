import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyCloneEvent } from "./cloneView.js";
import { cloneViewFields, readModelSealing } from "./readModelSealing.js";
import { ReadModels } from "./readModels.js";

describe("which read-model fields are sealed under the clone's key", () => {
  const cloneId = "c0ffee00-0000-4000-8000-000000000002";
  const created = applyCloneEvent(
    null,
    { type: "CloneCreated", data: { cloneId, ownerId: "o", name: "Клон Зинаиды" } },
    { revision: 0, timestamp: "2026-01-01T00:00:00.000Z" },
  );
  const deleted = applyCloneEvent(
    created,
    { type: "CloneDeleted", data: { cloneId } },
    { revision: 1, timestamp: "2026-01-02T00:00:00.000Z" },
  );

  it("seals the clone views of live and rebuilt read models, and no other collection", () => {
    const live = new ReadModels({ collection: (name: string) => name } as never);
    const rebuilt = new ReadModels({ collection: (name: string) => name } as never, "rebuild_");
    for (const name of [live.clones, rebuilt.clones] as unknown as string[])
      assert.equal(readModelSealing(name), cloneViewFields, name);
    for (const name of ["owners", "api_keys", "install_tokens", "training_runs", "stream_positions"])
      assert.equal(readModelSealing(`rm_${name}`), null, name);
  });

  it("names every field of a clone view as plain or erased, and the scope is the clone's key", () => {
    const known = new Set(["_id", ...cloneViewFields.plain, ...Object.keys(cloneViewFields.erased)]);
    for (const view of [created, deleted])
      assert.deepEqual(
        Object.keys(view ?? {}).filter((field) => !known.has(field)),
        [],
      );
    assert.equal(cloneViewFields.scopeOf(cloneId), `clone:${cloneId}`);
  });

  it("reads a tombstone whose key is destroyed as the same tombstone (a rebuild equals the live views)", () => {
    const sealedPart = Object.fromEntries(
      Object.entries(deleted ?? {}).filter(([field]) => !["_id", ...cloneViewFields.plain].includes(field)),
    );
    assert.deepEqual(sealedPart, cloneViewFields.erased);
  });
});
