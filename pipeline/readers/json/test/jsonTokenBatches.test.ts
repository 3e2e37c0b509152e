import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { ExportReadError } from "../../../model/conversation.js";
import type { ExportFile } from "../../../model/exportSource.js";
import type { TextFilter } from "../exportText.js";
import { type JsonReadOptions, readJsonTokens, type TokenBatch } from "../jsonTokenBatches.js";
import { generatedFile, memoryFile } from "./memoryFile.js";

async function batchesOf(file: ExportFile, options: JsonReadOptions = {}): Promise<TokenBatch[]> {
  const out: TokenBatch[] = [];
  for await (const batch of readJsonTokens(file, options)) out.push(batch);
  return out;
}

async function failureOf(file: ExportFile, options: JsonReadOptions = {}): Promise<ExportReadError> {
  try {
    await batchesOf(file, options);
  } catch (error) {
    assert.ok(error instanceof ExportReadError, `expected ExportReadError, got ${String(error)}`);
    assert.equal(error.file, file.label);
    return error;
  }
  assert.fail("the file was read");
}

describe("readJsonTokens", () => {
  it("yields the tokens of each chunk with the chunk's byte range", async () => {
    const text = '{"имя":"Аня","n":[1,2,3]}';
    const bytes = Buffer.byteLength(text);
    const batches = await batchesOf(memoryFile(text, 5));
    const tokens = batches.flatMap((b) => b.tokens);
    assert.deepEqual(
      tokens.filter((t) => t.name === "keyValue" || t.name === "stringValue").map((t) => t.value),
      ["имя", "Аня", "n"],
    );
    for (const batch of batches) {
      assert.ok(batch.tokens.length > 0);
      assert.ok(batch.byteStart <= batch.byteEnd && batch.byteEnd <= bytes);
    }
    assert.equal(batches.at(-1)?.byteEnd, bytes);
  });

  it("names the byte of invalid UTF-8 and a character cut by the end of the file", async () => {
    const bad = Buffer.concat([Buffer.from('{"a":"ok'), Buffer.from([0xff]), Buffer.from('"}')]);
    for (const chunk of [1, 3, 1024]) {
      const error = await failureOf(memoryFile(bad, chunk));
      assert.equal(error.where, "byte 8");
      assert.match(error.message, /invalid UTF-8/);
    }
    const cut = Buffer.concat([Buffer.from('{"a":"'), Buffer.from("ж").subarray(0, 1)]);
    assert.match((await failureOf(memoryFile(cut))).message, /ends inside a UTF-8 sequence/);
  });

  it("locates a syntax error by line and column, or by byte when asked", async () => {
    const text = '{\n "a": 1,\n "b": ,\n "c": 3\n}';
    const byLine = await failureOf(memoryFile(text, 4));
    assert.equal(byLine.where, "line 3 column 7");
    assert.match(byLine.message, /not valid JSON/);
    const byByte = await failureOf(memoryFile(text, 4), { syntaxErrorAt: "byte" });
    assert.match(byByte.where, /^byte \d+$/);
    assert.match(byByte.message, /not valid JSON/);
  });

  it("refuses a truncated or empty file at its end", async () => {
    for (const text of ['{"a":[1,2', ""]) {
      const error = await failureOf(memoryFile(text));
      assert.equal(error.where, `byte ${Buffer.byteLength(text)}`);
      assert.match(error.message, /ends before the JSON does/);
    }
  });

  it("cuts an oversized value by default and refuses it with maxValueBytes", async () => {
    const make = () => [
      '{"a":"',
      ..."x"
        .repeat(50)
        .split("")
        .map(() => "y".repeat(100)),
      '","b":1}',
    ];
    const cut = await batchesOf(generatedFile(make), { maxValueChars: 1000 });
    const strings = cut.flatMap((b) => b.tokens).filter((t) => t.name === "stringValue");
    assert.deepEqual(
      strings.map((t) => t.value),
      ["y".repeat(1000)],
    );
    const refused = await failureOf(generatedFile(make), { maxValueBytes: 1024 });
    assert.match(refused.message, /a single JSON value is longer than 1024 bytes/);
    assert.match(refused.where, /^byte \d+$/);
    // a value within the bound, and long runs of whitespace between values, are never refused
    const spaced = `[${" ".repeat(5000)}"${"z".repeat(900)}"${" ".repeat(5000)}]`;
    assert.equal((await batchesOf(memoryFile(spaced, 100), { maxValueBytes: 1024 })).length > 0, true);
  });

  it("runs the text through a fresh filter on each pass", async () => {
    let made = 0;
    const digits = (): TextFilter => {
      made++;
      return { push: (text) => text.replaceAll("q", "1"), end: () => "" };
    };
    const tokens = (await batchesOf(memoryFile("[q,q]", 2), { filter: digits })).flatMap((b) => b.tokens);
    assert.deepEqual(
      tokens.filter((t) => t.name === "numberValue").map((t) => t.value),
      ["1", "1"],
    );
    assert.equal(made, 1);
    // Locating a syntax error reads the file again, through a new filter.
    await failureOf(memoryFile("[q,,q]", 2), { filter: digits });
    assert.equal(made, 3);
  });

  it("turns a failing stream into an ExportReadError and lets an abort through", async () => {
    const failing: ExportFile = {
      path: "x.json",
      label: "x.json",
      size: 10,
      open: async () =>
        Readable.from(
          (async function* () {
            yield Buffer.from("[1,");
            throw new Error("disk on fire");
          })(),
        ),
    };
    assert.match((await failureOf(failing)).message, /cannot read the file: disk on fire/);

    const controller = new AbortController();
    const endless = generatedFile(function* () {
      yield "[";
      for (let i = 0; ; i++) yield `${i ? "," : ""}${i}`;
    });
    await assert.rejects(async () => {
      let seen = 0;
      for await (const _ of readJsonTokens(endless, { signal: controller.signal }))
        if (++seen === 100) controller.abort();
    }, /abort/i);
  });
});
