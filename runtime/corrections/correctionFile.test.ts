import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CorrectionsFileError, parseCorrectionsFile, serializeCorrectionsFile } from "./correctionFile.js";

const file = {
  clone: { id: "clone-1", displayName: "Маша", adapterVersion: 2 },
  exportedAt: "2026-12-06T10:00:00.000Z",
  corrections: [
    {
      id: "c1",
      at: "2026-12-06T09:00:00.000Z",
      channel: "telegram",
      context: [{ role: "user" as const, content: "Привет, как дела?" }],
      draft: "Здравствуйте! У меня всё хорошо.",
      ownerText: "норм, а у тебя?)",
    },
  ],
};

describe("corrections file", () => {
  it("round-trips through its text", () => {
    const parsed = parseCorrectionsFile(serializeCorrectionsFile(file));
    assert.equal(parsed.format, "aiclone-corrections");
    assert.equal(parsed.version, 1);
    assert.deepEqual(parsed.corrections, file.corrections);
  });

  it("refuses what is not JSON, an unknown field, an empty owner text and a duplicate id", () => {
    assert.throws(() => parseCorrectionsFile("{"), CorrectionsFileError);
    const text = serializeCorrectionsFile(file);
    const withExtra = JSON.parse(text);
    withExtra.corrections[0].weight = 3;
    assert.throws(() => parseCorrectionsFile(JSON.stringify(withExtra)), /corrections\.0/);
    const empty = JSON.parse(text);
    empty.corrections[0].ownerText = "   ";
    assert.throws(() => parseCorrectionsFile(JSON.stringify(empty)), /corrections\.0\.ownerText/);
    const twice = JSON.parse(text);
    twice.corrections.push(twice.corrections[0]);
    assert.throws(() => parseCorrectionsFile(JSON.stringify(twice)), /duplicate id 'c1'/);
  });

  it("refuses another format or version", () => {
    const other = JSON.parse(serializeCorrectionsFile(file));
    other.version = 2;
    assert.throws(() => parseCorrectionsFile(JSON.stringify(other)), /version/);
  });
});
