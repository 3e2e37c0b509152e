import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conflict, DomainError, invalid, isRefusal, notFound, refusedWith } from "./errors.js";

describe("refusals", () => {
  it("a guard matches domain errors with its codes and nothing else", () => {
    const gone = refusedWith("NOT_FOUND");
    assert.equal(gone(notFound("clone c1 not found")), true);
    assert.equal(gone(conflict("already cancelled")), false);
    assert.equal(gone(invalid("name", "empty")), false);
    // Only the domain's own errors: a look-alike with the same code is not a refusal.
    assert.equal(gone(Object.assign(new Error("x"), { code: "NOT_FOUND" })), false);
    assert.equal(gone(undefined), false);
    const late = refusedWith("NOT_FOUND", "CONFLICT");
    assert.equal(late(conflict("cancelled")), true);
    assert.equal(isRefusal(new DomainError("FORBIDDEN", "no"), ["FORBIDDEN"]), true);
  });
});
