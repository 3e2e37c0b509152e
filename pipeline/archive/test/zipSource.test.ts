import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { deflateRawSync } from "node:zlib";
import { ExportReadError } from "../../model/conversation.js";
import { openExportSource } from "../openExportSource.js";
import { listPaths, readAll } from "./readAll.js";
import { tempDir } from "./tempDir.js";
import { buildZip, crc32, type ZipEntrySpec } from "./zipWriter.js";

const dir = tempDir();
let counter = 0;
function zipOnDisk(entries: ZipEntrySpec[], name = `a${counter++}.bin`): string {
  const path = join(dir, name);
  writeFileSync(path, buildZip(entries));
  return path;
}

test("a normal zip with Cyrillic names (UTF-8 flag, CP437, Unicode path field) by magic bytes", async () => {
  const cp437Name = Buffer.from([0x80, 0x61, 0x2e, 0x74, 0x78, 0x74]); // "Ça.txt" in CP437
  const path = zipOnDisk(
    [
      { name: "Чат с Машей/result.json", data: '{"name":"Маша"}' },
      { name: "Чат с Машей/", data: "" },
      { name: "stored.txt", data: "plain", method: 0 },
      { name: cp437Name, data: "cp437" },
      { name: Buffer.from("legacy.txt"), unicodePath: "Переписка.txt", data: "unicode field" },
      { name: "dir\\inner.txt", data: "backslashes normalised" },
      { name: "nested.zip", data: buildZip([{ name: "x.txt", data: "x" }]) },
    ],
    "upload-without-extension",
  );
  const source = await openExportSource(path);
  try {
    assert.equal(source.kind, "zip");
    assert.deepEqual(await listPaths(source), [
      "Чат с Машей/result.json",
      "stored.txt",
      "Ça.txt",
      "Переписка.txt",
      "dir/inner.txt",
      "nested.zip",
    ]);
    assert.deepEqual(source.skipped, []);
    const result = await source.file("./Чат с Машей\\result.json");
    assert.ok(result);
    assert.equal(result.label, `${path}!/Чат с Машей/result.json`);
    assert.equal((await readAll(result)).toString(), '{"name":"Маша"}');
    assert.equal((await readAll((await source.file("stored.txt"))!)).toString(), "plain");
    assert.equal(await source.file("missing.jpg"), null);
    assert.equal(await source.file("../stored.txt"), null);
    // two readers of one entry at once
    const [a, b] = await Promise.all([readAll(result), readAll(result)]);
    assert.deepEqual(a, b);
  } finally {
    await source.close();
  }
});

test("zip slip, links and encrypted entries are skipped with reasons; the rest is kept", async () => {
  const path = zipOnDisk([
    { name: "../evil.txt", data: "x" },
    { name: "/etc/passwd", data: "x" },
    { name: "C:\\Windows\\evil.txt", data: "x" },
    { name: "a\\..\\..\\evil.txt", data: "x" },
    { name: "link", data: "/etc/passwd", unixMode: 0o120777 },
    { name: "secret.txt", data: "x", encrypted: true },
    { name: "ok.txt", data: "fine", unixMode: 0o100644 },
    { name: "ok.txt", data: "again" },
  ]);
  const source = await openExportSource(path);
  try {
    assert.deepEqual(await listPaths(source), ["ok.txt"]);
    assert.deepEqual(
      source.skipped.map((s) => [s.where.slice(path.length), s.reason]),
      [
        ["!/../evil.txt", "unsafe entry name: path escapes the archive (..)"],
        ["!//etc/passwd", "unsafe entry name: absolute path"],
        ["!/C:/Windows/evil.txt", "unsafe entry name: path with a drive letter"],
        ["!/a/../../evil.txt", "unsafe entry name: path escapes the archive (..)"],
        ["!/link", "symbolic link entry (not followed)"],
        ["!/secret.txt", "encrypted entry"],
        ["!/ok.txt", "duplicate entry name"],
      ],
    );
    assert.equal((await readAll((await source.file("ok.txt"))!)).toString(), "fine");
  } finally {
    await source.close();
  }
});

const zeros = Buffer.alloc(20 * 1024 * 1024);
const zerosDeflated = deflateRawSync(zeros);
const zerosCrc = crc32(zeros);

test("a 1000:1 entry is skipped by its header", async () => {
  const started = Date.now();
  const path = zipOnDisk([
    { name: "bomb.txt", compressed: zerosDeflated, rawSize: zeros.length, rawCrc: zerosCrc },
    { name: "ok.txt", data: "fine" },
  ]);
  const source = await openExportSource(path);
  try {
    assert.deepEqual(await listPaths(source), ["ok.txt"]);
    assert.match(source.skipped[0]?.reason ?? "", /^compression ratio [\d,]+:1 over the limit of 200:1$/);
  } finally {
    await source.close();
  }
  assert.ok(Date.now() - started < 2000);
});

test("an entry that lies about its size stops as soon as it inflates past the claim", async () => {
  const path = zipOnDisk([
    { name: "liar.json", compressed: zerosDeflated, rawSize: 4096, rawCrc: zerosCrc },
    { name: "short.txt", compressed: deflateRawSync(Buffer.from("abc")), rawSize: 10, rawCrc: 0 },
  ]);
  const source = await openExportSource(path);
  try {
    const before = process.memoryUsage().rss;
    const liar = await readAll((await source.file("liar.json"))!).then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(liar instanceof ExportReadError);
    assert.match(liar.message, /inflates past its declared size of 4096 bytes/);
    assert.equal(liar.file, `${path}!/liar.json`);
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024);
    await assert.rejects(readAll((await source.file("short.txt"))!), /shorter than its declared size/);
  } finally {
    await source.close();
  }
});

test("the total and the entry count limits refuse the whole archive", async () => {
  const total = zipOnDisk([
    { name: "a.txt", data: "x".repeat(600) },
    { name: "b.txt", data: "y".repeat(600) },
  ]);
  await assert.rejects(openExportSource(total, { limits: { maxTotalBytes: 1000 } }), (error: unknown) => {
    assert.ok(error instanceof ExportReadError);
    assert.match(error.message, /unpacks to more than 1000 bytes/);
    return true;
  });

  const many: ZipEntrySpec[] = Array.from({ length: 20_000 }, (_, i) => ({
    name: `f/${i}.txt`,
    data: "",
    method: 0,
  }));
  const manyPath = zipOnDisk(many);
  const started = Date.now();
  await assert.rejects(
    openExportSource(manyPath, { limits: { maxEntries: 10_000 } }),
    /20000 entries; the limit is 10000/,
  );
  assert.ok(Date.now() - started < 500);
  const source = await openExportSource(manyPath);
  try {
    assert.equal((await listPaths(source)).length, 20_000);
  } finally {
    await source.close();
  }
});

test("not a zip, or a broken one, is a clear error", async () => {
  const broken = join(dir, "broken.zip");
  writeFileSync(broken, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]));
  await assert.rejects(openExportSource(broken), (error: unknown) => {
    assert.ok(error instanceof ExportReadError);
    assert.match(error.message, /not a readable zip archive/);
    return true;
  });
  await assert.rejects(openExportSource(join(dir, "nope")), /no such file or folder/);
});

test("reading only a head does not inflate the rest", async () => {
  const big = Buffer.alloc(8 * 1024 * 1024, "a");
  const path = zipOnDisk([{ name: "big.txt", data: big }]);
  const source = await openExportSource(path, { limits: { maxRatio: 100_000 } });
  try {
    const { readHead } = await import("../readHead.js");
    const head = await readHead((await source.file("big.txt"))!);
    assert.equal(head.length, 64 * 1024);
  } finally {
    await source.close();
  }
});
