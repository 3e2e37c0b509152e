import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstInvalidUtf8 } from "../utf8Position.js";

describe("firstInvalidUtf8", () => {
  it("finds the first bad byte and tolerates a sequence cut at either end", () => {
    assert.equal(firstInvalidUtf8(Buffer.from("ок", "utf8")), -1);
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xff])), 1);
    assert.equal(firstInvalidUtf8(Buffer.from([0xc0, 0x80])), 0);
    assert.equal(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80])), 0);
    assert.equal(firstInvalidUtf8(Buffer.from([0xd0])), -1);
    assert.equal(firstInvalidUtf8(Buffer.from([0xbe, 0x61])), -1);
  });
});
