import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fullTextQuery } from "../localFullText.js";

describe("fullTextQuery", () => {
  it("quotes each word so no input is read as FTS5 syntax, and folds ё", () => {
    assert.equal(fullTextQuery('ёлка AND "кошка" OR (NEAR*'), '"елка" OR "AND" OR "кошка" OR "OR" OR "NEAR"');
    assert.equal(fullTextQuery("?!"), null);
  });
});
