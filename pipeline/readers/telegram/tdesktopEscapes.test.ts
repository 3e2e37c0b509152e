import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TdesktopEscapeFixer } from "./tdesktopEscapes.js";

describe("TdesktopEscapeFixer", () => {
  const fix = (chunks: string[]) => {
    const fixer = new TdesktopEscapeFixer();
    return chunks.map((c) => fixer.push(c)).join("") + fixer.end();
  };
  it("rewrites \\xNN escapes, also across chunk boundaries, and leaves escaped backslashes alone", () => {
    assert.equal(fix(['"a\\x01b"']), '"a\\u0001b"');
    assert.equal(fix(['"a\\', 'x1Fb"']), '"a\\u001Fb"');
    assert.equal(fix(['"\\\\x41"']), '"\\\\x41"');
    assert.equal(fix(['"\\\\', "\\", "x41"]), '"\\\\\\u0041');
  });
});
