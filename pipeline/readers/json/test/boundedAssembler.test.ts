import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { BoundedAssembler } from "../boundedAssembler.js";
import { createJsonTokenizer } from "../jsonTokenizer.js";
import type { JsonValue } from "../jsonValue.js";
import type { AssemblyLimits } from "../limits.js";

const ROOMY: AssemblyLimits = { maxDepth: 1000, maxChars: 10_000_000 };

/** Feeds the tokens of `text` (one JSON value) and reports when push() first said the value was complete. */
function assemble(text: string, limits = ROOMY, numbers?: "number" | "text") {
  const tokenizer = createJsonTokenizer();
  const tokens = [...tokenizer.write(text), ...tokenizer.end()];
  const assembler = new BoundedAssembler(limits, numbers ? { numbers } : {});
  let doneAt = -1;
  tokens.forEach((token, i) => {
    if (assembler.push(token) && doneAt === -1) doneAt = i;
  });
  return { assembler, doneAt, count: tokens.length };
}

describe("BoundedAssembler", () => {
  it("builds what JSON.parse builds, and says so on the value's last token", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const { assembler, doneAt, count } = assemble(text);
        assert.equal(assembler.failure, null);
        assert.equal(doneAt, count - 1);
        assert.deepEqual(assembler.result(), JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("defines a __proto__ key as data, as JSON.parse does", () => {
    const { assembler } = assemble('{"__proto__":{"polluted":1}}');
    const value = assembler.result() as Record<string, JsonValue>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ["__proto__"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("keeps numbers as their literal text when asked (snowflakes)", () => {
    const { assembler } = assemble('{"id":123456789012345678901,"f":1.50}', ROOMY, "text");
    assert.deepEqual(assembler.result(), { id: "123456789012345678901", f: "1.50" });
    assert.deepEqual(assemble("[1.50]").assembler.result(), [1.5]);
  });

  it("fails past maxDepth and still finds the end of the value", () => {
    const deep = `${"[".repeat(100)}${"]".repeat(100)}`;
    const { assembler, doneAt, count } = assemble(deep, { maxDepth: 64, maxChars: 1000 });
    assert.equal(assembler.failure, "nested deeper than 64 levels");
    assert.equal(doneAt, count - 1);
  });

  it("counts keys, strings and numbers towards maxChars", () => {
    const limits = { maxDepth: 8, maxChars: 10 };
    assert.equal(assemble('{"abcde":"fghij"}', limits).assembler.failure, null);
    assert.equal(assemble('{"abcde":"fghijk"}', limits).assembler.failure, "larger than 10 characters");
    assert.equal(assemble("[12345,678901]", limits).assembler.failure, "larger than 10 characters");
    // null, true, false and structure are not characters of content
    assert.equal(assemble(`[${"null,".repeat(50)}true]`, limits).assembler.failure, null);
  });

  it("sets failure the moment a limit trips, before the value ends", () => {
    const tokenizer = createJsonTokenizer();
    const assembler = new BoundedAssembler({ maxDepth: 4, maxChars: 1000 });
    const tokens = tokenizer.write("[[[[[[[[");
    let finished = false;
    for (const token of tokens) finished ||= assembler.push(token);
    assert.equal(finished, false);
    assert.match(assembler.failure ?? "", /nested deeper than 4/);
  });
});
