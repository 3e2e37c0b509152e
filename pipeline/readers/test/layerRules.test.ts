import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

// dist/pipeline/readers/test → the repository's pipeline/readers
const readers = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "pipeline", "readers");

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

/** The readers' shared parsing layers: each the only home of its libraries, reached through its index.ts. */
const LAYERS = [
  { folder: "json", libraries: /^stream-json/, users: 2 },
  { folder: "html", libraries: /^(htmlparser2|iconv-lite)/, users: 2 },
];

for (const { folder, libraries, users } of LAYERS) {
  describe(`pipeline/readers/${folder} is the readers' only ${folder} layer`, () => {
    it(`only ${folder}/ imports its libraries`, async () => {
      const outside = (await imports())
        .filter(({ file, specifier }) => libraries.test(specifier) && !file.startsWith(`${folder}/`))
        .map(({ file, specifier }) => `${file} → ${specifier}`);
      assert.deepEqual(outside, []);
    });

    it(`readers reach it through ${folder}/index.ts, and it reaches no reader`, async () => {
      const all = await imports();
      assert.ok(all.length > 20, `only ${all.length} imports found: is the root right?`);
      const broken = all
        .filter(({ file, specifier }) =>
          file.startsWith(`${folder}/`)
            ? /^\.\.\/(?!json\/|html\/)[^/]+\//.test(specifier) && !specifier.startsWith("../../")
            : specifier.includes(`/${folder}/`) && !specifier.endsWith(`/${folder}/index.js`),
        )
        .map(({ file, specifier }) => `${file} → ${specifier}`);
      assert.deepEqual(broken, []);
      const using = new Set(
        all
          .filter(({ specifier }) => specifier.endsWith(`/${folder}/index.js`))
          .map((i) => i.file.split("/")[0]),
      );
      assert.ok(using.size >= users, `${folder}/ is used by ${[...using].join(", ")}`);
    });
  });
}
