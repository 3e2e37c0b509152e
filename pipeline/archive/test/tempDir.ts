import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";

/** A scratch folder removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "aiclone-archive-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
