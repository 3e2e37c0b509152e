import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError } from "./errors.js";
import { assertDisplaySafe, boundedText, nameText } from "./text.js";

const refused = (run: () => unknown, pattern: RegExp) =>
  assert.throws(
    run,
    (error: unknown) =>
      error instanceof DomainError && error.code === "INVALID" && pattern.test(error.message),
  );

describe("text fields", () => {
  it("refuses unpaired surrogates in any text field", () => {
    for (const value of ["\uD800", "a\uDC00b", "end\uD83D"])
      refused(
        () => boundedText("reason", value, { min: 1, max: 100, multiline: true }),
        /unpaired UTF-16 surrogates/,
      );
    assert.equal(boundedText("name", "🙂 ok", { min: 1, max: 10 }), "🙂 ok");
  });

  it("refuses bidirectional overrides and isolates in chosen names, not right-to-left text", () => {
    for (const value of ["invoice\u202Etxt.exe", "a\u202Ab", "x\u2066y\u2069", "\u202Dz"])
      refused(() => nameText("name", value, { min: 1, max: 80 }), /bidirectional control/);
    assert.equal(nameText("name", "שלום עולם", { min: 1, max: 80 }), "שלום עולם");
    assert.equal(nameText("name", "Аня\u200F", { min: 1, max: 80 }), "Аня\u200F");
    assert.doesNotThrow(() => assertDisplaySafe("fileName", "result.json"));
  });
});
