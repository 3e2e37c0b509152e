import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CLONE_MANIFEST_FILE, type CloneBundleInput } from "../bundle/cloneBundleSchema.js";
import { runCorrectionsExport } from "../cli/correctionsCommands.js";
import { ConversationMemory } from "../memory/conversationMemory.js";
import { openRuntimeDatabase } from "../memory/runtimeDatabase.js";
import { parseCorrectionsFile } from "./correctionFile.js";
import { CorrectionStore } from "./correctionStore.js";

const manifest: CloneBundleInput = {
  schemaVersion: 1,
  clone: { id: "clone-7", version: 2, adapterVersion: 4 },
  baseModel: {
    name: "tiny",
    url: "https://example.org/tiny.gguf",
    sha256: "0".repeat(64),
    chatTemplate: "auto",
  },
  persona: { displayName: "Маша", systemPrompt: "Ты — Маша.", language: "ru" },
};

/** A folder as install_clone.sh leaves it: current, bundles/<n>/clone.json, data/runtime.sqlite. */
async function installedClone(root: string, corrections: number): Promise<string> {
  const dir = join(root, `clone-${corrections}`);
  await mkdir(join(dir, "bundles", "2"), { recursive: true });
  await writeFile(join(dir, "current"), "2\n");
  await writeFile(join(dir, "bundles", "2", CLONE_MANIFEST_FILE), JSON.stringify(manifest));
  const db = openRuntimeDatabase(join(dir, "data", "runtime.sqlite"));
  const memory = new ConversationMemory(db);
  const store = new CorrectionStore(db);
  for (let i = 0; i < corrections; i++) {
    memory.recordExchange("telegram", "5", { id: "5", displayName: "Ира" }, `вопрос ${i}`, `черновик ${i}`);
    store.record("telegram", { conversationId: "5", draft: `черновик ${i}`, ownerText: `мой ответ ${i}` });
  }
  db.close();
  return dir;
}

describe("aiclone-runtime corrections export", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "aiclone-export-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("writes an installed clone's corrections with its clone id, name and adapter version", async () => {
    const dir = await installedClone(root, 2);
    const out = join(root, "fixes.json");
    const lines: string[] = [];
    await runCorrectionsExport({ install: dir, out }, (line) => lines.push(line));
    const file = parseCorrectionsFile(await readFile(out, "utf8"));
    assert.deepEqual(file.clone, { id: "clone-7", displayName: "Маша", adapterVersion: 4 });
    assert.deepEqual(
      file.corrections.map((c) => [c.draft, c.ownerText, c.context.at(-1)?.content]),
      [
        ["черновик 0", "мой ответ 0", "вопрос 0"],
        ["черновик 1", "мой ответ 1", "вопрос 1"],
      ],
    );
    assert.equal(lines[0], `2 corrections written to ${out}`);
    assert.match(lines[1] ?? "", /Upload it on the platform/);
  });

  it("says so and writes nothing when there are no corrections, and refuses a folder that is no install", async () => {
    const dir = await installedClone(root, 0);
    const out = join(root, "none.json");
    const lines: string[] = [];
    await runCorrectionsExport({ install: dir, out }, (line) => lines.push(line));
    assert.match(lines[0] ?? "", /^No corrections yet/);
    await assert.rejects(readFile(out), { code: "ENOENT" });
    await assert.rejects(
      runCorrectionsExport({ install: root }, () => {}),
      /not an installed clone/,
    );
  });

  it("runs as the installed command, finding the install from the environment, with a dated default name", async () => {
    const dir = await installedClone(root, 1);
    const main = fileURLToPath(new URL("../cli/runtimeMain.js", import.meta.url));
    const cwd = await mkdtemp(join(root, "cwd-"));
    const { stdout } = await promisify(execFile)(process.execPath, [main, "corrections", "export"], {
      cwd,
      env: { ...process.env, AICLONE_RUNTIME_INSTALL_DIR: dir },
    });
    const name = `corrections-${new Date().toISOString().slice(0, 10)}.json`;
    assert.match(stdout, new RegExp(`^1 correction written to .*${name}\\n`));
    assert.equal(parseCorrectionsFile(await readFile(join(cwd, name), "utf8")).corrections.length, 1);
  });
});
