/**
 * The distributed artifact store: one S3 object per artifact, its ArtifactInfo in the object's user
 * metadata (s3ArtifactMetadata.ts), uploads streamed in parts (s3ArtifactWriter.ts).
 */

import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { validateArtifactKey, validateArtifactPrefix } from "./artifactKey.js";
import {
  type ArtifactInfo,
  ArtifactNotFoundError,
  type ArtifactStore,
  type GetOptions,
  type PutOptions,
} from "./artifactStore.js";
import { validatePutOptions } from "./putOptionsValidation.js";
import { infoFromObject } from "./s3ArtifactMetadata.js";
import {
  type ResolvedS3Options,
  resolveS3Options,
  type S3ArtifactStoreOptions,
} from "./s3ArtifactStoreOptions.js";
import { putS3Artifact } from "./s3ArtifactWriter.js";
import { isBucketAlreadyOwned, isInvalidRange, isNoSuchBucket, isNotFound } from "./s3Errors.js";
import { S3ObjectKeys } from "./s3ObjectKeys.js";

/** DeleteObjects takes at most this many keys per request. */
const DELETE_BATCH = 1000;
/** HeadObject requests in flight while listing: enough to hide latency, few enough to be polite. */
const LIST_HEAD_CONCURRENCY = 16;
/** SigV4 presigned URLs live at most a week. */
const MAX_URL_SECONDS = 7 * 24 * 3600;

/** An HTTP `Range` header for an inclusive range; S3 clamps the end and refuses a start past the end. */
function rangeHeader(range: GetOptions["range"], key: string): string | undefined {
  if (range === undefined) return undefined;
  const { start, end } = range;
  const isOffset = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (!isOffset(start) || (end !== undefined && (!isOffset(end) || end < start))) {
    throw new RangeError(`artifact ${key}: invalid range ${JSON.stringify(range)}`);
  }
  return `bytes=${start}-${end ?? ""}`;
}

export class S3ArtifactStore implements ArtifactStore {
  private readonly client: S3Client;
  private readonly options: ResolvedS3Options;
  private readonly keys: S3ObjectKeys;
  private closed = false;

  constructor(options: S3ArtifactStoreOptions) {
    this.options = resolveS3Options(options);
    this.keys = new S3ObjectKeys(this.options.keyPrefix, this.options.suffixObjectKeys);
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle,
      // Our own sha256 covers integrity; the SDK's default CRC32 checksums trip S3-compatible servers
      // that lack them and would make CompleteMultipartUpload demand per-part checksums.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  get bucket(): string {
    return this.options.bucket;
  }

  /** Creates the bucket unless it exists; for set-up and tests, as production buckets are provisioned. */
  async ensureBucket(): Promise<void> {
    this.assertOpen();
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (!isNoSuchBucket(error)) throw error;
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!isBucketAlreadyOwned(error)) throw error;
    }
  }

  async put(
    key: string,
    body: Readable | AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<ArtifactInfo> {
    validateArtifactKey(key);
    validatePutOptions(options);
    this.assertOpen();
    options.signal?.throwIfAborted();
    const { client, bucket, keys } = this;
    return putS3Artifact({ client, bucket, keys, partSize: this.options.partSize }, key, body, options);
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    validateArtifactKey(key);
    const range = rangeHeader(options.range, key);
    this.assertOpen();
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keys.objectKeyOf(key), Range: range }),
      );
      if (!(out.Body instanceof Readable)) throw new Error(`S3 GetObject for ${key} gave no Node stream`);
      return out.Body;
    } catch (error) {
      if (isNotFound(error)) throw new ArtifactNotFoundError(key);
      if (isInvalidRange(error)) {
        throw new RangeError(`artifact ${key}: range ${JSON.stringify(options.range)} starts past its end`);
      }
      throw error;
    }
  }

  async stat(key: string): Promise<ArtifactInfo | null> {
    validateArtifactKey(key);
    this.assertOpen();
    return this.head(key);
  }

  /** S3's DeleteObject answers the same whether or not the key existed, so ask first. */
  async delete(key: string): Promise<boolean> {
    validateArtifactKey(key);
    this.assertOpen();
    if ((await this.head(key)) === null) return false;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keys.objectKeyOf(key) }));
    return true;
  }

  async *list(prefix: string): AsyncIterable<ArtifactInfo> {
    validateArtifactPrefix(prefix, { allowEmpty: true });
    this.assertOpen();
    for await (const page of this.listKeyPages(prefix)) {
      for (let i = 0; i < page.length; i += LIST_HEAD_CONCURRENCY) {
        const infos = await Promise.all(page.slice(i, i + LIST_HEAD_CONCURRENCY).map((k) => this.head(k)));
        // null: deleted since it was listed.
        for (const info of infos) if (info !== null) yield info;
      }
    }
  }

  async removeIncomplete(olderThan: Date): Promise<number> {
    this.assertOpen();
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          ...(this.options.keyPrefix ? { Prefix: this.options.keyPrefix } : {}),
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}),
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= olderThan) continue;
        await this.client.send(
          new AbortMultipartUploadCommand({
            Bucket: this.bucket,
            Key: upload.Key,
            UploadId: upload.UploadId,
          }),
        );
        removed++;
      }
      if (!page.IsTruncated) return removed;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    validateArtifactPrefix(prefix, { allowEmpty: false });
    this.assertOpen();
    // Collected first: deleting while paging could shift the pages under the continuation token.
    const keys: string[] = [];
    for await (const page of this.listKeyPages(prefix)) keys.push(...page);
    let deleted = 0;
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const out = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((k) => ({ Key: this.keys.objectKeyOf(k) })), Quiet: true },
        }),
      );
      const errors = out.Errors ?? [];
      deleted += batch.length - errors.length;
      if (errors.length > 0) {
        const first = errors[0];
        throw new Error(
          `S3 deletePrefix ${prefix}: ${errors.length} of ${batch.length} deletes failed, e.g. ${first?.Key}: ${first?.Code} ${first?.Message}`,
        );
      }
    }
    return deleted;
  }

  /** A presigned GET, valid for `expiresInSeconds` (1 s to 7 days). */
  async downloadUrl(key: string, options: { expiresInSeconds: number }): Promise<string> {
    validateArtifactKey(key);
    const { expiresInSeconds } = options;
    if (
      !Number.isSafeInteger(expiresInSeconds) ||
      expiresInSeconds < 1 ||
      expiresInSeconds > MAX_URL_SECONDS
    ) {
      throw new RangeError(
        `downloadUrl expiresInSeconds: expected an integer from 1 to ${MAX_URL_SECONDS}, got ${expiresInSeconds}`,
      );
    }
    this.assertOpen();
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.keys.objectKeyOf(key) });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
  }

  private async head(key: string): Promise<ArtifactInfo | null> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.keys.objectKeyOf(key) }),
      );
      return infoFromObject(key, out.ContentLength, out.Metadata);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Artifact keys under `prefix`, a ListObjectsV2 page at a time, in S3's (byte, hence key) order. */
  private async *listKeyPages(prefix: string): AsyncGenerator<string[]> {
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.keys.objectPrefixOf(prefix),
          ContinuationToken: token,
        }),
      );
      const page: string[] = [];
      for (const object of out.Contents ?? []) {
        const key = object.Key === undefined ? null : this.keys.artifactKeyOf(object.Key);
        if (key !== null) page.push(key);
      }
      yield page;
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`S3 artifact store ${this.bucket} is closed`);
  }
}
