import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SemverRangeError, satisfies } from "./semverRange.js";

describe("satisfies", () => {
  const cases: [string, string, boolean][] = [
    ["1.0.0", "^1.0.0", true],
    ["1.9.3", "^1.2.0", true],
    ["2.0.0", "^1.0.0", false],
    ["0.9.0", "^1.0.0", false],
    ["0.2.5", "^0.2.3", true],
    ["0.3.0", "^0.2.3", false],
    ["0.0.4", "^0.0.3", false],
    ["1.2.9", "~1.2.3", true],
    ["1.3.0", "~1.2.3", false],
    ["1.5.0", "~1", true],
    ["1.0.0", ">=1.0.0", true],
    ["0.9.9", ">= 1.0.0", false],
    ["1.4.0", ">=1.0.0 <2.0.0", true],
    ["2.0.0", ">=1.0.0 <2.0.0", false],
    ["2.1.0", "^1.0.0 || ^2.0.0", true],
    ["1.0.0", "1.x", true],
    ["1.0.0", "1", true],
    ["2.0.0", "1.x", false],
    ["1.0.0", "*", true],
    ["1.0.0", "", true],
    ["1.0.0", "1.0.0", true],
    ["1.0.1", "=1.0.0", false],
    ["1.1.0", ">1.0", true],
    ["1.0.9", ">1.0", false],
    ["1.0.9", "<=1.0", true],
    ["1.5.0", "1.0.0 - 1.5.0", true],
    ["1.5.1", "1.0.0 - 1.5.0", false],
  ];
  for (const [version, range, expected] of cases)
    it(`${version} ${expected ? "is" : "is not"} in '${range}'`, () => {
      assert.equal(satisfies(version, range), expected);
    });

  it("rejects what is not a range", () => {
    assert.throws(() => satisfies("1.0.0", "latest"), SemverRangeError);
    assert.throws(() => satisfies("1.0.0", "^1.0.0-beta.1"), SemverRangeError);
    assert.throws(() => satisfies("one", "^1.0.0"), SemverRangeError);
  });
});
