import "reflect-metadata";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tinyModelPath } from "@aiclone/testing/sharedData";
import express from "express";
import { extract as extractTar, list as listTar } from "tar";
import { BundlePublisher } from "../../bundle/bundlePublisher.js";
import { mayBeStoredInPlaintext, personalDataScopeOfArtifact } from "../../domain/clone/personalData.js";
import { bundleKey, bundleStatement } from "../../domain/index.js";
import { EncryptedArtifactStore } from "../../infra/blobstore/encryptedArtifactStore.js";
import { LocalArtifactStore } from "../../infra/blobstore/localArtifactStore.js";
import { SigningKey, verifySignature } from "../../infra/crypto/signingKey.js";
import { keyringFixture } from "../../infra/crypto/test/keyringFixture.js";
import { SqliteDocumentStore } from "../../infra/docstore/sqliteDocumentStore.js";
import { ReadModels } from "../../projections/readModels.js";
import type { CloneView, PublishedVersionView } from "../../projections/views.js";
import { generateInstallToken } from "../auth/apiKeyToken.js";
import type { Authenticator } from "../auth/authenticator.js";
import { installRoutes } from "./installRoutes.js";

const { dir, keyring } = await keyringFixture("install-routes-");
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const signer = SigningKey.generate().key;

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** The file names inside a gzipped tar. */
async function tarEntries(archive: Buffer): Promise<string[]> {
  const file = join(dir, `entries-${sha256(archive)}.tar.gz`);
  await writeFile(file, archive);
  const names: string[] = [];
  await listTar({ file, onReadEntry: (entry) => names.push(entry.path) });
  return names;
}

/**
 * Issue 16, item 6: a published bundle is stored encrypted under its clone's key and served decrypted,
 * with the sha256 and size the manifest states; a bundle stored in plaintext before that is still served.
 */
describe("bundles at rest and on download", () => {
  const root = join(dir, "artifacts");
  const plain = new LocalArtifactStore(root);
  const artifacts = new EncryptedArtifactStore(
    plain,
    keyring,
    personalDataScopeOfArtifact,
    mayBeStoredInPlaintext,
  );
  let documents: SqliteDocumentStore;
  let models: ReadModels;
  let server: ReturnType<express.Express["listen"]>;
  let base: string;
  const token = generateInstallToken();
  const cloneId = "c0ffee00-0000-4000-8000-000000000001";
  const published: PublishedVersionView[] = [];

  before(async () => {
    documents = await SqliteDocumentStore.open(join(dir, "read-models.sqlite"));
    models = new ReadModels(documents);
    const runtimeFile = join(dir, "runtime.tgz");
    await mkdir(dir, { recursive: true });
    await writeFile(runtimeFile, "runtime");
    const app = express();
    installRoutes({
      models,
      artifacts,
      authenticator: {} as Authenticator,
      installScript: "#!/bin/sh\n",
      publicUrl: () => base,
      packages: [
        {
          name: "aiclone-runtime",
          path: runtimeFile,
          version: "1.0.0",
          sha256: sha256(Buffer.from("runtime")),
        },
      ],
      signer,
    })(app);
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await models.installTokens.put({
      _id: token.keyId,
      cloneId,
      hash: token.hash,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      revokedAt: null,
    });
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await documents.close();
  });

  const saveClone = () =>
    models.clones.put({
      _id: cloneId,
      _rev: published.length + 1,
      ownerId: "owner",
      name: "Алиса",
      status: "PUBLISHED",
      deleted: false,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      persona: null,
      sources: [],
      datasets: [],
      datasetError: null,
      datasetRequest: null,
      trainingRuns: [],
      published,
    } as unknown as CloneView);
  const download = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token.token}`, ...headers } });

  const manifestOf = async (version: number) =>
    (await (await download(`/clones/${cloneId}/bundles/${version}/manifest`)).json()) as {
      sha256: string;
      size: number;
      signature: string;
    };

  it("stores a published bundle encrypted and serves it decrypted, as the manifest states", async () => {
    const adapterKey = `clones/${cloneId}/training/r1/adapter.gguf`;
    await artifacts.put(adapterKey, createReadStream(tinyModelPath()));
    const publisher = new BundlePublisher(artifacts, (name) => ({
      name,
      url: "https://example.org/m.gguf",
      sha256: "a".repeat(64),
      chatTemplate: "auto",
    }));
    const bundle = await publisher.publish({
      cloneId,
      version: 1,
      name: "Алиса",
      persona: { displayName: "Алиса", systemPrompt: "Ты Алиса, пишешь коротко.", language: "ru" },
      baseModel: "tiny",
      adapterKey,
      adapterVersion: 1,
    });
    published.push({ version: 1, adapterVersion: 1, publishedAt: "", ...bundle });
    await saveClone();

    const stored = await readAll(await plain.get(bundleKey(cloneId, 1)));
    assert.equal(stored.subarray(0, 4).toString("latin1"), "ACE1");
    assert.notEqual(sha256(stored), bundle.sha256);
    assert.equal(stored.includes(Buffer.from("Ты Алиса")), false);

    const manifest = await manifestOf(1);
    assert.equal(manifest.sha256, bundle.sha256);
    assert.equal(manifest.size, bundle.size);
    // Signed over the plaintext's facts, which the installer checks before it downloads (issue 16, item 3).
    assert.ok(
      verifySignature(
        signer.publicKeyBase64,
        bundleStatement({ cloneId, version: 1, sha256: bundle.sha256, size: bundle.size }),
        manifest.signature,
      ),
    );
    const response = await download(`/clones/${cloneId}/bundles/1`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-length"), String(bundle.size));
    const served = Buffer.from(await response.arrayBuffer());
    assert.equal(served.length, manifest.size);
    assert.equal(sha256(served), manifest.sha256);
    assert.deepEqual((await tarEntries(served)).sort(), ["adapter.gguf", "clone.json"]);
    // clone.json names the adapter version it carries (the runtime's corrections export reports it).
    const unpacked = join(dir, "unpacked-1");
    await mkdir(unpacked, { recursive: true });
    await writeFile(join(dir, "served-1.tar.gz"), served);
    await extractTar({ file: join(dir, "served-1.tar.gz"), cwd: unpacked });
    const cloneJson = JSON.parse(await readFile(join(unpacked, "clone.json"), "utf8"));
    assert.deepEqual(cloneJson.clone, { id: cloneId, version: 1, adapterVersion: 1 });

    // A resumed download (Range) gets the plaintext bytes too.
    const ranged = await download(`/clones/${cloneId}/bundles/1`, { range: "bytes=70000-" });
    assert.equal(ranged.status, 206);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), served.subarray(70000));
  });

  it("still serves a bundle stored in plaintext before bundles were encrypted", async () => {
    const old = Buffer.from(await readFile(tinyModelPath()));
    const info = await plain.put(
      bundleKey(cloneId, 2),
      (async function* () {
        yield old;
      })(),
    );
    published.push({
      version: 2,
      adapterVersion: 1,
      publishedAt: "",
      artifactKey: info.key,
      sha256: info.sha256,
      size: info.size,
    });
    await saveClone();
    const manifest = await manifestOf(2);
    const served = Buffer.from(await (await download(`/clones/${cloneId}/bundles/2`)).arrayBuffer());
    assert.deepEqual(served, old);
    assert.equal(sha256(served), manifest.sha256);
    const ranged = await download(`/clones/${cloneId}/bundles/2`, { range: "bytes=5-99" });
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), old.subarray(5, 100));
  });
});
