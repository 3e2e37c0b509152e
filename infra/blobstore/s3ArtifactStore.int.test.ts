import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { ArtifactChecksumError } from "./artifactStore.js";
import { S3ArtifactStore } from "./s3ArtifactStore.js";
import type { S3ArtifactStoreOptions } from "./s3ArtifactStoreOptions.js";
import { artifactStoreContract } from "./test/artifactStoreContract.js";

const SKIP_REASON =
  "skipped: S3 suite needs S3_ENDPOINT (npm run services:up starts an S3 server on 127.0.0.1:19000)";
const MiB = 1024 * 1024;

const endpoint = process.env.S3_ENDPOINT;

/** A fresh bucket per run, so runs never see each other's objects; emptied and deleted afterwards. */
function connectionOptions(bucket: string): S3ArtifactStoreOptions {
  return {
    bucket,
    endpoint,
    region: process.env.S3_REGION ?? "us-east-1",
    credentials: {
      accessKeyId: process.env.S3_ACCESS_KEY_ID ?? "aiclone-test",
      secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? "aiclone-test-secret",
    },
    forcePathStyle: true,
  };
}

function rawClient(options: S3ArtifactStoreOptions): S3Client {
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    credentials: options.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
}

async function dropBucket(client: S3Client, bucket: string): Promise<void> {
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const u of uploads.Uploads ?? []) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
  }
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const objects = (page.Contents ?? []).map((o) => ({ Key: o.Key }));
    if (objects.length === 0) break;
    await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
    );
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

async function openStore(options: S3ArtifactStoreOptions) {
  const store = new S3ArtifactStore(options);
  await store.ensureBucket();
  const client = rawClient(options);
  return {
    store,
    client,
    cleanup: async () => {
      await store.close();
      await dropBucket(client, options.bucket);
      client.destroy();
    },
  };
}

const newBucket = () => `aiclone-test-${randomUUID()}`;

/** Deterministic bytes in 1 MiB chunks, never held whole. */
async function* pattern(totalBytes: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0, i = 0; sent < totalBytes; sent += MiB, i++) {
    yield Buffer.alloc(Math.min(MiB, totalBytes - sent), i % 251);
  }
}

async function sha256Of(source: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of source) hash.update(chunk);
  return hash.digest("hex");
}

if (endpoint === undefined || endpoint === "") {
  // Said once, plainly, so a green run without a server is not mistaken for a run against one.
  console.log(SKIP_REASON);
  describe("artifact store contract: S3", () => {
    it("runs against a real S3 server", { skip: SKIP_REASON }, () => {});
  });
} else {
  // The services script runs versitygw on its posix backend, which keeps objects as files: `a` and
  // `a/b` cannot both exist there without the key suffix.
  artifactStoreContract("S3 (object keys suffixed)", () =>
    openStore({ ...connectionOptions(newBucket()), suffixObjectKeys: true }),
  );

  describe("S3 artifact store", () => {
    let fixture: Awaited<ReturnType<typeof openStore>>;
    let bucket: string;
    before(async () => {
      bucket = newBucket();
      fixture = await openStore({ ...connectionOptions(bucket), partSize: 5 * MiB, keyPrefix: "pre/" });
    });
    after(async () => fixture?.cleanup());

    it("aborts multipart uploads a crashed put left behind, once they are old enough", async () => {
      const started = await fixture.client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: "pre/clones/x/sources/abandoned" }),
      );
      assert.ok(started.UploadId);
      assert.equal(await fixture.store.removeIncomplete(new Date(Date.now() - 3_600_000)), 0);
      assert.equal(await fixture.store.removeIncomplete(new Date(Date.now() + 60_000)), 1);
      const uploads = await fixture.client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      assert.deepEqual(uploads.Uploads ?? [], []);
    });

    it("streams ~100 MB in 5 MiB parts with bounded memory", async () => {
      const size = 100 * MiB + 7;
      const expected = await sha256Of(pattern(size));
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      let info: Awaited<ReturnType<S3ArtifactStore["put"]>>;
      try {
        info = await fixture.store.put("big/archive.zip", pattern(size));
      } finally {
        clearInterval(sampler);
      }
      const growthMiB = (peak - baseline) / MiB;
      console.log(`rss growth during a ${(size / MiB).toFixed(0)} MiB put: ${growthMiB.toFixed(1)} MiB`);
      assert.ok(growthMiB < 150, `rss grew by ${growthMiB.toFixed(1)} MiB`);
      assert.equal(info.size, size);
      assert.equal(info.sha256, expected);
      assert.deepEqual(await fixture.store.stat("big/archive.zip"), info);
      assert.equal(await sha256Of(await fixture.store.get("big/archive.zip")), expected);
    });

    it("leaves neither object nor multipart upload behind on a wrong expectedSha256", async () => {
      await assert.rejects(
        fixture.store.put("bad/sum.bin", pattern(12 * MiB), { expectedSha256: "0".repeat(64) }),
        ArtifactChecksumError,
      );
      assert.equal(await fixture.store.stat("bad/sum.bin"), null);
      const uploads = await fixture.client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      assert.deepEqual(uploads.Uploads ?? [], []);
    });

    it("leaves no staging object or upload behind after a multipart put without a known sha256", async () => {
      await fixture.store.put("staged/x.bin", pattern(11 * MiB));
      const listed = await fixture.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "pre/" }));
      const keys = (listed.Contents ?? []).map((o) => o.Key);
      assert.ok(!keys.some((k) => k?.includes("~staging")), keys.join(", "));
      const uploads = await fixture.client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      assert.deepEqual(uploads.Uploads ?? [], []);
    });

    it("gives a presigned URL that works until it expires", async () => {
      await fixture.store.put("shared/adapter.gguf", pattern(1000), {
        contentType: "application/octet-stream",
      });
      // SigV4 dates are whole seconds, truncated: a 1 s URL signed late in a second is already past its
      // expiry a few milliseconds later. 3 s leaves at least 2 s to use it; 4.2 s later it has expired.
      const url = await fixture.store.downloadUrl("shared/adapter.gguf", { expiresInSeconds: 3 });
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.equal(Buffer.from(await response.arrayBuffer()).length, 1000);
      await sleep(4_200);
      const expired = await fetch(url);
      await expired.arrayBuffer();
      assert.equal(expired.status, 403);
    });

    it("refuses out-of-range URL lifetimes", async () => {
      await assert.rejects(fixture.store.downloadUrl("k", { expiresInSeconds: 0 }), RangeError);
      await assert.rejects(fixture.store.downloadUrl("k", { expiresInSeconds: 8 * 24 * 3600 }), RangeError);
    });
  });
}
