import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseByteRange } from "./byteRange.js";

describe("Range header", () => {
  it("reads open, closed and suffix ranges", () => {
    assert.deepEqual(parseByteRange("bytes=0-99", 1000), { start: 0, end: 99 });
    assert.deepEqual(parseByteRange("bytes=500-", 1000), { start: 500, end: 999 });
    assert.deepEqual(parseByteRange("bytes=-100", 1000), { start: 900, end: 999 });
    assert.deepEqual(parseByteRange("bytes=900-5000", 1000), { start: 900, end: 999 });
  });
  it("says when a range cannot be served and ignores what it does not honour", () => {
    assert.equal(parseByteRange("bytes=1000-", 1000), "unsatisfiable");
    assert.equal(parseByteRange("bytes=-0", 1000), "unsatisfiable");
    assert.equal(parseByteRange(undefined, 1000), null);
    assert.equal(parseByteRange("bytes=0-1,5-6", 1000), null);
    assert.equal(parseByteRange("items=0-1", 1000), null);
    assert.equal(parseByteRange("bytes=9-3", 1000), null);
  });
});
