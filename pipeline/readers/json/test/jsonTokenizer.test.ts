import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createJsonTokenizer, type Token } from "../jsonTokenizer.js";

function tokensOf(chunks: string[], maxValueChars?: number): Token[] {
  const tokenizer = createJsonTokenizer(maxValueChars);
  const out: Token[] = [];
  for (const chunk of chunks) out.push(...tokenizer.write(chunk));
  out.push(...tokenizer.end());
  return out;
}

describe("createJsonTokenizer", () => {
  it("packs keys, strings and numbers whole, however the text is chunked", () => {
    const text = '{"ключ":"значение 😀","n":-12.5e3,"list":[true,false,null,""]}';
    const whole = tokensOf([text]);
    assert.deepEqual(whole, [
      { name: "startObject" },
      { name: "keyValue", value: "ключ" },
      { name: "stringValue", value: "значение 😀" },
      { name: "keyValue", value: "n" },
      { name: "numberValue", value: "-12.5e3" },
      { name: "keyValue", value: "list" },
      { name: "startArray" },
      { name: "trueValue", value: true },
      { name: "falseValue", value: false },
      { name: "nullValue", value: null },
      { name: "stringValue", value: "" },
      { name: "endArray" },
      { name: "endObject" },
    ]);
    for (const size of [1, 2, 3, 7]) {
      const chunks: string[] = [];
      for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
      assert.deepEqual(tokensOf(chunks), whole, `chunks of ${size}`);
    }
  });

  it("cuts a value past the bound as it streams, and still delivers its token", () => {
    const long = "x".repeat(1000);
    const tokens = tokensOf([`["${long.slice(0, 300)}`, `${long.slice(300)}", 1234567, "ok"]`], 100);
    assert.deepEqual(
      tokens.filter((t) => t.name === "stringValue" || t.name === "numberValue").map((t) => t.value),
      ["x".repeat(100), "1234567", "ok"],
    );
    assert.deepEqual(tokensOf(["[12345]"], 3)[1], { name: "numberValue", value: "123" });
  });

  it("says whether a value is open across chunks, and which one", () => {
    const tokenizer = createJsonTokenizer();
    tokenizer.write('{"a":"par');
    assert.equal(tokenizer.inValue, true);
    const first = tokenizer.valuesBegun;
    tokenizer.write("tial");
    assert.equal(tokenizer.inValue, true);
    assert.equal(tokenizer.valuesBegun, first);
    tokenizer.write('","b":"next');
    assert.equal(tokenizer.inValue, true);
    assert.equal(tokenizer.valuesBegun, first + 2);
    tokenizer.write('"}');
    assert.equal(tokenizer.inValue, false);
  });

  it("throws on a syntax error and on input that ends too early", () => {
    assert.throws(() => createJsonTokenizer().write('{"a":,}'));
    const truncated = createJsonTokenizer();
    truncated.write('{"a":[1,2');
    assert.throws(() => truncated.end());
    assert.throws(() => createJsonTokenizer().end(), "empty input is not JSON");
  });
});
