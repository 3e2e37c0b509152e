import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { normaliseForDedupe, SampleDeduper } from "./sampleDeduper.js";
import { hammingDistance, simHash } from "./simHash.js";

const long =
  "Слушай, я завтра не смогу прийти на встречу, у меня поезд в восемь утра, давай перенесём на пятницу вечером, если тебе удобно";

describe("SampleDeduper", () => {
  it("normalises as NFKC, lower case, every run of white space one space, trimmed", () => {
    const spaces = [" ", "  ", "\n", "\t", "\r\n", "\u00a0", "\u2003", "\u3000", " \n ", "\ufeff"];
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc
        .array(fc.oneof(fc.constantFrom(...spaces), fc.constantFrom("Ок", "ПРИВЕТ", "ﬁ", "x", "😂")), {
          maxLength: 60,
        })
        .map((xs) => xs.join("")),
    );
    fc.assert(
      fc.property(text, (t) =>
        assert.equal(normaliseForDedupe(t), t.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()),
      ),
      { numRuns: 2000 },
    );
  });
  it("drops exact duplicates of the assistant text, ignoring case and spacing", () => {
    const d = new SampleDeduper(3);
    assert.equal(d.check("Ок, понял", "привет\nОк, понял"), null);
    assert.equal(d.check("ок,  понял", "совсем другой вопрос\nок, понял"), "duplicate");
  });
  it("drops near duplicates of the whole sample", () => {
    const d = new SampleDeduper(3);
    assert.equal(d.check("a", long), null);
    assert.equal(d.check("b", `${long}!`), "nearDuplicate");
    assert.equal(
      d.check("c", "Совсем другой разговор про кино и про то, что мы будем смотреть в субботу"),
      null,
    );
  });
  it("a larger distance also catches a changed word", () => {
    const strict = new SampleDeduper(3);
    const loose = new SampleDeduper(7);
    const changed = long.replace("восемь", "девять");
    assert.equal(strict.check("a", long), null);
    assert.equal(strict.check("b", changed), null);
    assert.equal(loose.check("a", long), null);
    assert.equal(loose.check("b", changed), "nearDuplicate");
  });
  it("can turn near-duplicate detection off", () => {
    const d = new SampleDeduper(-1);
    assert.equal(d.check("a", long), null);
    assert.equal(d.check("b", `${long}!`), null);
  });
  it("rejects distances the band index cannot guarantee", () => {
    assert.throws(() => new SampleDeduper(8), RangeError);
  });
  it("SimHash: similar texts are close, different ones far", () => {
    assert.ok(hammingDistance(simHash(long), simHash(`${long}!`)) <= 3);
    assert.ok(hammingDistance(simHash(long), simHash("hello world, this is something else entirely")) > 10);
  });
});
