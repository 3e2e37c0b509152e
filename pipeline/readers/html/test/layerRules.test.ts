import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

// dist/pipeline/readers/html/test → the repository's pipeline/readers
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

test("only pipeline/readers/html imports htmlparser2 and iconv-lite; readers reach it through html/index.ts", async () => {
  const found: string[] = [];
  let html = 0;
  for await (const path of sources(readers)) {
    const file = relative(readers, path);
    for (const match of (await readFile(path, "utf8")).matchAll(IMPORT)) {
      const specifier = match[1] ?? "";
      if (/^(htmlparser2|iconv-lite)/.test(specifier) && !file.startsWith("html/"))
        found.push(`${file} → ${specifier}`);
      if (/\/html\/(?!index\.js)/.test(specifier) && !file.startsWith("html/"))
        found.push(`${file} → ${specifier}`);
      if (specifier.includes("/html/index.js")) html++;
    }
  }
  assert.deepEqual(found, []);
  assert.ok(html >= 2, "the Telegram HTML and VK readers use the layer");
});
