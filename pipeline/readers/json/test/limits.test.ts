import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACCOUNT_LIMITS, JSON_LIMITS, RECORD_LIMITS } from "../limits.js";

describe("JSON_LIMITS", () => {
  it("is the one source of every bound and cannot be changed at run time", () => {
    assert.ok(Object.isFrozen(JSON_LIMITS));
    assert.ok(Object.isFrozen(RECORD_LIMITS));
    assert.ok(Object.isFrozen(ACCOUNT_LIMITS));
    assert.deepEqual(RECORD_LIMITS, {
      maxDepth: JSON_LIMITS.maxRecordDepth,
      maxChars: JSON_LIMITS.maxRecordChars,
    });
    assert.deepEqual(ACCOUNT_LIMITS, {
      maxDepth: JSON_LIMITS.maxAccountDepth,
      maxChars: JSON_LIMITS.maxAccountChars,
    });
  });

  it("keeps the stricter of the two readers' former bounds", () => {
    // Telegram cut values at 4 Mi characters, Discord refused them past 64 MiB.
    assert.equal(JSON_LIMITS.maxValueChars, 4 * 1024 * 1024);
    assert.ok(JSON_LIMITS.maxValueBytes <= 64 * 1024 * 1024);
    // Telegram skipped a message past 1 000 000 characters or 64 levels; Discord refused 64 levels, 64 MiB.
    assert.equal(JSON_LIMITS.maxRecordChars, 1_000_000);
    assert.equal(JSON_LIMITS.maxRecordDepth, 64);
    assert.ok(JSON_LIMITS.maxRecordBytes <= 64 * 1024 * 1024);
  });

  it("never lets a cut value reach a record: a record holds fewer characters than one cut value", () => {
    assert.ok(JSON_LIMITS.maxRecordChars < JSON_LIMITS.maxValueChars);
    assert.ok(JSON_LIMITS.maxAccountChars < JSON_LIMITS.maxValueChars);
    assert.ok(JSON_LIMITS.maxAccountDepth <= JSON_LIMITS.maxRecordDepth);
    assert.ok(JSON_LIMITS.maxRecordDepth < JSON_LIMITS.maxDocumentDepth);
  });
});
