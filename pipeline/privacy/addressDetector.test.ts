import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addressDetector, addressPattern } from "./addressDetector.js";
import { regexSpans } from "./piiKind.js";

// Pieces of addresses and of ordinary messages, so random texts hit every alternative of the pattern.
const pieces = [
  "ул.",
  "улица",
  "пр-т",
  "просп.",
  "проспект",
  "пер.",
  "б-р",
  "наб.",
  "набережная",
  "ш.",
  "пл.",
  "площадь",
  "д.",
  "дом",
  "кв.",
  "квартира",
  "корп.",
  "стр.",
  "офис",
  "Apt",
  "Apartment",
  "Suite",
  "Ste",
  "Unit",
  "#",
  "St",
  "Street",
  "avenue",
  "Rd.",
  "Ленина",
  "Мира",
  "Main",
  "Evergreen",
  "привет",
  "ok",
  "5",
  "12",
  "742",
  "4б",
  "10/2",
  " ",
  "  ",
  "\n",
  ", ",
  ".",
  "-",
  "(3)",
  "123 Main St",
  "10 Downing Street",
  "742 Evergreen Terrace Avenue",
  "Невский проспект, 28",
  "д. 7, кв. 3",
];

describe("addressDetector", () => {
  it("finds what the whole pattern finds: its cheap hint never hides an address", () => {
    const text = fc.oneof(
      fc.array(fc.constantFrom(...pieces), { maxLength: 16 }).map((xs) => xs.join("")),
      fc.array(fc.constantFrom(...pieces), { maxLength: 16 }).map((xs) => xs.join(" ")),
      fc.string({ unit: "grapheme", maxLength: 40 }),
    );
    fc.assert(
      fc.property(text, (t) => assert.deepEqual(addressDetector.find(t), regexSpans(t, addressPattern))),
      { numRuns: 5000 },
    );
  });
  it("finds none where the only digits are a time and counts, and one beside them", () => {
    assert.deepEqual(addressDetector.find("приду в 17:30, возьму 2 пиццы (3)"), []);
    assert.deepEqual(addressDetector.find("ул. Ленина, д. 5 (3)"), [[0, 16]]);
  });
});
