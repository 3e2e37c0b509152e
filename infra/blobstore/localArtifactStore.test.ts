import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, describe, it } from "node:test";
import { ArtifactChecksumError, ArtifactTooLargeError } from "./artifactStore.js";
import { LocalArtifactStore } from "./localArtifactStore.js";
import { artifactStoreContract } from "./test/artifactStoreContract.js";

const dir = await mkdtemp(join(tmpdir(), "artifacts-"));
after(() => rm(dir, { recursive: true, force: true }));

artifactStoreContract("local folder", async () => {
  const store = new LocalArtifactStore(join(dir, "contract"));
  return { store, cleanup: () => store.close() };
});

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

async function* body(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

describe("local artifact store", () => {
  it("removes the temporary files a crashed put left behind, once they are old enough", async () => {
    const root = join(dir, "crashed");
    const store = new LocalArtifactStore(root);
    await store.put("a/b", body("целый"));
    // What a process killed mid-put leaves: a body that never got its record.
    await mkdir(join(root, ".tmp"), { recursive: true });
    await writeFile(join(root, ".tmp", "3f6c-partial"), "полови");
    assert.equal(
      await store.removeIncomplete(new Date(Date.now() - 60_000)),
      0,
      "too recent to be abandoned",
    );
    assert.equal(await store.removeIncomplete(new Date(Date.now() + 1000)), 1);
    assert.deepEqual(await filesUnder(root).then((files) => files.filter((f) => f.startsWith(".tmp"))), []);
    assert.equal(await new Response((await store.get("a/b")) as unknown as ReadableStream).text(), "целый");
    await store.close();
  });

  it("leaves no temp or partial files after failed, aborted and replaced puts", async () => {
    const root = join(dir, "failures");
    const store = new LocalArtifactStore(root);
    await store.put("keep/me", body("kept"));
    await assert.rejects(store.put("a/too-big", body("0123456789"), { maxBytes: 5 }), ArtifactTooLargeError);
    await assert.rejects(
      store.put("a/bad-sum", body("x"), { expectedSha256: "0".repeat(64) }),
      ArtifactChecksumError,
    );
    const controller = new AbortController();
    async function* aborting(): AsyncGenerator<Uint8Array> {
      yield Buffer.from("part");
      controller.abort();
      yield Buffer.from("more");
    }
    await assert.rejects(store.put("a/aborted", aborting(), { signal: controller.signal }), {
      name: "AbortError",
    });
    async function* throwing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from("part");
      throw new Error("boom");
    }
    await assert.rejects(store.put("a/thrown", throwing()), /boom/);
    await store.put("keep/me", body("replaced"));
    assert.deepEqual(await readdir(join(root, ".tmp")), []);
    const files = await filesUnder(join(root, "objects"));
    // One record and one blob: the replaced blob is gone, and no failed put left anything.
    assert.equal(files.length, 2, files.join(", "));
    assert.ok(
      files.every((f) => f.startsWith("keep/me~")),
      files.join(", "),
    );
  });

  it("removes emptied directories on delete", async () => {
    const root = join(dir, "prune");
    const store = new LocalArtifactStore(root);
    await store.put("x/y/z", body("deep"));
    await store.put("x/other", body("sibling"));
    await store.delete("x/y/z");
    assert.ok(!(await readdir(join(root, "objects", "x"))).includes("y"));
    assert.deepEqual(await readdir(join(root, "objects")), ["x"]);
    await store.deletePrefix("x/");
    assert.deepEqual(await readdir(join(root, "objects")), []);
  });

  it("keeps artifacts for a new store over the same folder", async () => {
    const root = join(dir, "reopen");
    const first = new LocalArtifactStore(root);
    const info = await first.put("clone/adapter.gguf", body("weights"), {
      contentType: "application/octet-stream",
    });
    await first.close();
    const second = new LocalArtifactStore(root);
    assert.deepEqual(await second.stat("clone/adapter.gguf"), info);
    await second.close();
  });

  it("keeps a stream opened before an overwrite readable to its end", async () => {
    const store = new LocalArtifactStore(join(dir, "overwrite-read"));
    await store.put("k", body("old content"));
    const reading = await store.get("k");
    await store.put("k", body("new"));
    const chunks: Buffer[] = [];
    for await (const chunk of reading) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), "old content");
  });

  it("fails clearly once closed", async () => {
    const store = new LocalArtifactStore(join(dir, "closed"));
    await store.close();
    await assert.rejects(store.put("k", body("x")), /is closed/);
    await assert.rejects(store.get("k"), /is closed/);
  });
});
