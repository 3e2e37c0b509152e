import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { lookupPath, normalizeExportPath } from "../exportPath.js";
import { openExportSource } from "../openExportSource.js";
import { listPaths, readAll } from "./readAll.js";
import { tempDir } from "./tempDir.js";

test("a folder is walked in name order; links are skipped, not followed", async () => {
  const root = tempDir();
  mkdirSync(join(root, "Чат", "photos"), { recursive: true });
  writeFileSync(join(root, "Чат", "result.json"), "{}");
  writeFileSync(join(root, "Чат", "photos", "p.jpg"), "jpg");
  writeFileSync(join(root, "a.txt"), "a");
  symlinkSync("/etc/passwd", join(root, "passwd"));
  const source = await openExportSource(root);
  assert.equal(source.kind, "folder");
  assert.deepEqual(await listPaths(source), ["a.txt", "Чат/photos/p.jpg", "Чат/result.json"]);
  assert.deepEqual(source.skipped, [
    { code: "symlink", reason: "symbolic link (not followed)", where: join(root, "passwd") },
  ]);
  const photo = await source.file("Чат\\photos\\p.jpg");
  assert.equal(photo && (await readAll(photo)).toString(), "jpg");
  assert.equal(await source.file("passwd"), null);
  await source.close();
});

test("a loose file is a one-file export", async () => {
  const root = tempDir();
  const path = join(root, "WhatsApp Chat with Маша.txt");
  writeFileSync(path, "12/31/23, 10:00 - Маша: привет");
  const source = await openExportSource(path);
  assert.equal(source.kind, "file");
  assert.deepEqual(await listPaths(source), ["WhatsApp Chat with Маша.txt"]);
  const file = await source.file("WhatsApp Chat with Маша.txt");
  assert.equal(file?.label, path);
  assert.equal(file?.size, Buffer.byteLength("12/31/23, 10:00 - Маша: привет"));
  assert.equal(await source.file("other.txt"), null);
});

test("export paths: one normal form, unsafe ones refused", () => {
  assert.deepEqual(normalizeExportPath("./a//b\\c.jpg"), { path: "a/b/c.jpg" });
  assert.deepEqual(normalizeExportPath("a/../b"), { reason: "path escapes the archive (..)" });
  assert.deepEqual(normalizeExportPath("\\\\server\\share"), { reason: "absolute path" });
  assert.deepEqual(normalizeExportPath("d:evil"), { reason: "path with a drive letter" });
  assert.deepEqual(normalizeExportPath("a\u0000b"), { reason: "the name contains a NUL character" });
  assert.deepEqual(normalizeExportPath("./"), { reason: "empty name" });
  assert.equal(lookupPath("x/./y"), "x/y");
});
