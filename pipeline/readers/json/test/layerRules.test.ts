import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

// dist/pipeline/readers/json/test → the repository's pipeline/readers
const readers = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "..",
  "..",
  "pipeline",
  "readers",
);

async function* sources(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !path.includes("/test/"))
      yield path;
  }
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']/g;

async function imports(): Promise<{ file: string; specifier: string }[]> {
  const found: { file: string; specifier: string }[] = [];
  for await (const path of sources(readers)) {
    const text = await readFile(path, "utf8");
    for (const match of text.matchAll(IMPORT))
      found.push({ file: relative(readers, path), specifier: match[1] ?? "" });
  }
  return found;
}

describe("the streaming JSON layer is the readers' only one", () => {
  it("only pipeline/readers/json imports stream-json", async () => {
    const outside = (await imports())
      .filter(({ file, specifier }) => specifier.startsWith("stream-json") && !file.startsWith("json/"))
      .map(({ file, specifier }) => `${file} → ${specifier}`);
    assert.deepEqual(outside, []);
  });

  it("readers reach it through json/index.ts, and it reaches no reader", async () => {
    const all = await imports();
    assert.ok(all.length > 20, `only ${all.length} imports found: is the root right?`);
    const broken = all
      .filter(({ file, specifier }) =>
        file.startsWith("json/")
          ? /^\.\.\/(telegram|discord|whatsapp)\//.test(specifier)
          : specifier.startsWith("../json/") && specifier !== "../json/index.js",
      )
      .map(({ file, specifier }) => `${file} → ${specifier}`);
    assert.deepEqual(broken, []);
  });
});
