import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FileDocumentReader } from "./fileDocumentReader.js";
import { minimalPdf } from "./test/minimalPdf.js";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

describe("FileDocumentReader", () => {
  let root: string;
  let docs: string;
  const reader = new FileDocumentReader({ maxFileBytes: 64 * 1024 });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), "rag-reader-"));
    docs = join(root, "docs");
    await mkdir(join(docs, "заметки", "глубже"), { recursive: true });
    await mkdir(join(docs, ".obsidian"));
    await writeFile(join(docs, "readme.md"), "# Привет\n\nЭто заметки Анны.\n");
    await writeFile(join(docs, "заметки", "рецепт.txt"), "Борщ: свёкла, капуста, картофель.");
    await writeFile(join(docs, "заметки", "глубже", "notes.markdown"), "Deep notes.");
    await writeFile(join(docs, "заметки", "picture.png"), "not a document");
    await writeFile(join(docs, ".hidden.md"), "secret");
    await writeFile(join(docs, ".obsidian", "workspace.md"), "settings");
    await writeFile(join(docs, "huge.txt"), "я".repeat(40 * 1024));
    await writeFile(join(root, "outside.md"), "Не из этой папки.");
    await symlink(join(root, "outside.md"), join(docs, "leak.md"));
    await symlink(join(docs, "readme.md"), join(docs, "alias.md"));
    await symlink(docs, join(docs, "заметки", "loop"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("lists md, markdown and txt files recursively, sorted, with sha256 and size", async () => {
    const listed = await reader.list(docs);
    assert.deepEqual(
      listed.map((d) => d.path),
      ["alias.md", "readme.md", "заметки/глубже/notes.markdown", "заметки/рецепт.txt"],
    );
    const recipe = listed.find((d) => d.path === "заметки/рецепт.txt");
    const bytes = Buffer.from("Борщ: свёкла, капуста, картофель.");
    assert.deepEqual(recipe, { path: "заметки/рецепт.txt", sha256: sha256(bytes), size: bytes.length });
  });

  it("says why it left files out: too large, a link out of the folder", async () => {
    const { skipped } = await reader.scan(docs);
    assert.deepEqual(
      skipped.map((s) => s.path),
      ["huge.txt", "leak.md"],
    );
    assert.match(skipped[0]?.reason ?? "", /over the 65536-byte limit/);
    assert.match(skipped[1]?.reason ?? "", /outside the documents folder/);
  });

  it("gives a file a new hash when its content changes", async () => {
    const before = (await reader.list(docs)).find((d) => d.path === "readme.md");
    await writeFile(join(docs, "readme.md"), "# Привет\n\nЭто новые заметки Анны.\n");
    const after = (await reader.list(docs)).find((d) => d.path === "readme.md");
    assert.notEqual(before?.sha256, after?.sha256);
  });

  it("re-hashes an edit of the same size at once, and a file replaced by a rename, on a reader that remembers hashes", async () => {
    const path = join(docs, "заметки", "глубже", "notes.markdown");
    const hashOf = async () =>
      (await reader.list(docs)).find((d) => d.path === "заметки/глубже/notes.markdown")?.sha256;
    for (const text of ["Deep notes A.", "Deep notes B.", "Deep notes A."]) {
      await writeFile(path, text);
      assert.equal(await hashOf(), sha256(text), `${text}: the hash of what the file holds now`);
    }
    await writeFile(join(root, "swap.tmp"), "Deep notes C.");
    await rename(join(root, "swap.tmp"), path);
    assert.equal(await hashOf(), sha256("Deep notes C."));
    await writeFile(path, "Deep notes.");
    assert.equal(await hashOf(), sha256("Deep notes."));
  });

  it("chunks with ids <sha256>:<ordinal> that stay the same while the file does", async () => {
    const text = Array.from({ length: 60 }, (_, i) => `Предложение номер ${i} о погоде в Москве.`).join(" ");
    await writeFile(join(docs, "long.txt"), text);
    const document = (await reader.list(docs)).find((d) => d.path === "long.txt");
    assert.ok(document);
    const first = await reader.chunks(docs, document);
    const second = await reader.chunks(docs, document);
    assert.ok(first.length >= 3);
    assert.deepEqual(first, second);
    first.forEach((chunk, i) => {
      assert.equal(chunk.chunkId, `${document.sha256}:${i}`);
      assert.equal(chunk.ordinal, i);
      assert.equal(chunk.path, "long.txt");
      assert.equal(chunk.locator, undefined);
    });
  });

  it("cites the nearest Markdown heading", async () => {
    await writeFile(
      join(docs, "cats.md"),
      "Без заголовка.\n\n# Кошки\n\nЛюбят рыбу.\n\n## Сиамские\n\nГолубые глаза.",
    );
    const document = (await reader.list(docs)).find((d) => d.path === "cats.md");
    const chunks = await reader.chunks(docs, document!);
    assert.deepEqual(
      chunks.map((c) => [c.locator, c.text]),
      [
        [undefined, "Без заголовка."],
        ["Кошки", "Кошки\n\nЛюбят рыбу."],
        ["Сиамские", "Сиамские\n\nГолубые глаза."],
      ],
    );
  });

  it("reads invalid UTF-8 with replacement characters instead of failing", async () => {
    await writeFile(
      join(docs, "broken.txt"),
      Buffer.concat([Buffer.from("Привет "), Buffer.from([0xff, 0xfe]), Buffer.from(" мир")]),
    );
    const document = (await reader.list(docs)).find((d) => d.path === "broken.txt");
    const [chunk] = await reader.chunks(docs, document!);
    assert.equal(chunk?.text, "Привет \uFFFD\uFFFD мир");
  });

  it("reads a PDF page by page, the page number as locator", async () => {
    await writeFile(
      join(docs, "договор.pdf"),
      minimalPdf([
        ["Договор аренды квартиры.", "Арендатор: Иванов."],
        ["Page two: the rent is 40000 roubles."],
      ]),
    );
    const document = (await reader.list(docs)).find((d) => d.path === "договор.pdf");
    assert.ok(document, "the PDF is listed");
    const chunks = await reader.chunks(docs, document);
    assert.deepEqual(
      chunks.map((c) => [c.locator, c.text]),
      [
        ["page=1", "Договор аренды квартиры.\nАрендатор: Иванов."],
        ["page=2", "Page two: the rent is 40000 roubles."],
      ],
    );
  });

  it("names the file when it cannot be read", async () => {
    await writeFile(join(docs, "bad.pdf"), "%PDF-1.4 this is not really a pdf");
    const document = (await reader.list(docs)).find((d) => d.path === "bad.pdf");
    await assert.rejects(reader.chunks(docs, document!), /cannot read document bad\.pdf/);
    await rm(join(docs, "bad.pdf"));
  });

  it("refuses a file that changed since it was listed", async () => {
    const document = (await reader.list(docs)).find((d) => d.path === "readme.md");
    await writeFile(join(docs, "readme.md"), "# Другое\n");
    await assert.rejects(reader.chunks(docs, document!), /readme\.md: it changed since it was listed/);
  });

  it("refuses a path that leads out of the folder", async () => {
    const forged = { path: "../outside.md", sha256: sha256("Не из этой папки."), size: 10 };
    await assert.rejects(reader.chunks(docs, forged), /outside the documents folder/);
  });

  it("names a missing documents folder", async () => {
    await assert.rejects(reader.list(join(root, "нет")), /documents folder .*нет cannot be opened/);
  });
});
