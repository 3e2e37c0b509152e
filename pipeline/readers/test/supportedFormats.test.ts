import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultReaders } from "../defaultReaders.js";
import { SUPPORTED_FORMATS, supportedFormatsHelp } from "../supportedFormats.js";

test("every format a default reader produces is listed with its export steps, once", () => {
  const read = defaultReaders().map((r) => r.format);
  assert.deepEqual([...new Set(SUPPORTED_FORMATS.map((f) => f.format))].sort(), [...new Set(read)].sort());
  assert.equal(new Set(SUPPORTED_FORMATS.map((f) => f.format)).size, SUPPORTED_FORMATS.length);
  for (const f of SUPPORTED_FORMATS) assert.ok(f.steps.length > 40 && f.files.length > 5, f.format);
  const help = supportedFormatsHelp();
  for (const f of SUPPORTED_FORMATS) assert.ok(help.includes(f.name) && help.includes(f.steps), f.format);
});
