import assert from "node:assert/strict";
import { mkdir, readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sharedDataDir } from "@aiclone/testing/sharedData";
import { tempDir } from "../archive/test/tempDir.js";
import { ExportReadError, type ExportRecord } from "../model/conversation.js";
import {
  exportFilesSource,
  READER_THREAD_BYTES,
  READER_THREAD_CORES,
  readsOnThread,
} from "./exportFilesSource.js";

/**
 * The reader thread is a way of reading, not a reader: every record it hands over must be the one the same
 * readers give on the caller's thread, in the same order, and a failure must be the same failure.
 */
const corpus = join(sharedDataDir(), "corpus");
const telegram = join(corpus, "frozenspider__chat-history-manager", "telegram_2023-01", "result.json");

async function collect(paths: string[], readerThread: boolean, batchRecords?: number) {
  const source = exportFilesSource(paths, {
    readerThread: readerThread && batchRecords ? { batchRecords } : readerThread,
  });
  const records: ExportRecord[] = [];
  for await (const record of source.records()) records.push(record);
  return { records, formats: source.formats() };
}

/** The records read before the read failed, and the failure. */
async function failureOf(paths: string[], readerThread: boolean) {
  const records: ExportRecord[] = [];
  try {
    for await (const record of exportFilesSource(paths, { readerThread }).records()) records.push(record);
  } catch (error) {
    return { records, error };
  }
  assert.fail("the read did not fail");
}

describe("reading on a thread of its own", () => {
  it("gives the same records and formats as reading here: the whole corpus, every format, folders and zips", async () => {
    const here = await collect([corpus], false);
    // Small batches: the corpus is small, so this makes the thread post many times and wait for credit.
    const threaded = await collect([corpus], true, 7);
    const messages = here.records.filter((record) => record.type === "message");
    assert.ok(messages.length > 400, `the corpus gave ${messages.length} messages`);
    // Replies, media, forwards, edits: the fields beyond the seven every message has cross too.
    assert.ok(messages.filter((record) => Object.keys(record.message).length > 7).length > 50);
    assert.deepEqual(threaded.records, here.records);
    assert.deepEqual(threaded.formats.sort(), here.formats.sort());
    assert.ok(here.formats.length >= 4, here.formats.join(", "));
  });

  it("fails as reading here fails: the same ExportReadError, after the records before it", async () => {
    const dir = tempDir();
    const cut = join(dir, "result.json");
    const text = await readFile(telegram, "utf8");
    await writeFile(cut, text.slice(0, Math.floor(text.length * 0.6)));
    const here = await failureOf([cut], false);
    const threaded = await failureOf([cut], true);
    assert.ok(here.error instanceof ExportReadError);
    assert.ok(threaded.error instanceof ExportReadError, String(threaded.error));
    assert.equal(threaded.error.message, here.error.message);
    assert.equal(threaded.error.file, here.error.file);
    assert.equal(threaded.error.where, here.error.where);
    assert.ok(here.records.length > 0);
    assert.deepEqual(threaded.records, here.records);

    const missing = join(dir, "нет такого.json");
    const gone = await failureOf([missing], true);
    assert.ok(gone.error instanceof ExportReadError);
    assert.equal(gone.error.message, ((await failureOf([missing], false)).error as Error).message);
  });

  it("stops when the caller leaves early or aborts", async () => {
    let seen = 0;
    for await (const _ of exportFilesSource([corpus], {
      readerThread: { batchRecords: 5 },
    }).records()) {
      if (++seen === 12) break;
    }
    assert.equal(seen, 12);

    const abort = new AbortController();
    const source = exportFilesSource([corpus], {
      readerThread: { batchRecords: 5 },
      signal: abort.signal,
    });
    await assert.rejects(async () => {
      for await (const _ of source.records()) abort.abort();
    }, /abort/i);
  });
});

describe("when the build reads on a thread", () => {
  it("by default only with 3 cores or more and 16 MB or more; never with a transform; forced either way", async () => {
    const dir = tempDir();
    const big = join(dir, "result.json");
    const small = join(dir, "small.json");
    await writeFile(small, "{}");
    await writeFile(big, "");
    await truncate(big, READER_THREAD_BYTES);
    const folder = join(dir, "export");
    await mkdir(join(folder, "chats"), { recursive: true });
    for (const part of ["part1.json", "part2.json"]) {
      await writeFile(join(folder, "chats", part), "");
      await truncate(join(folder, "chats", part), READER_THREAD_BYTES / 2);
    }

    assert.equal(await readsOnThread([big], {}, 2), false);
    assert.equal(await readsOnThread([big], {}, READER_THREAD_CORES), true);
    assert.equal(await readsOnThread([small], {}, 16), false);
    assert.equal(await readsOnThread([small, folder], {}, 16), true, "a folder counts its files");
    assert.equal(await readsOnThread([join(dir, "нет")], {}, 16), false);
    const transform = (records: AsyncIterable<ExportRecord>) => records;
    assert.equal(await readsOnThread([big], { transform }, 16), false);
    assert.equal(await readsOnThread([big], { readerThread: false }, 16), false);
    assert.equal(await readsOnThread([small], { readerThread: true }, 1), true);
  });
});
