/**
 * `put` for S3. A body that fits in one part goes up in one PutObject. A larger one goes up as a
 * multipart upload, checked against maxBytes and expectedSha256 before it is completed, and aborted on
 * any failure, so no reader ever sees a partial or wrong object.
 *
 * S3 takes user metadata when an upload starts, and the sha256 of a streamed body is known only at its
 * end. With expectedSha256 given the hash is known up front, and the upload goes straight to the key.
 * Without it the body is staged under a key no artifact can have, then copied into place server side
 * (UploadPartCopy, no bytes through this process) with its metadata; S3 has no rename.
 */

import type { Readable } from "node:stream";
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ArtifactChecksumError, type ArtifactInfo, type PutOptions } from "./artifactStore.js";
import { contentTypeHeaderOf, metadataOf } from "./s3ArtifactMetadata.js";
import { meterBody } from "./s3BodyParts.js";
import { S3MultipartUpload } from "./s3MultipartUpload.js";
import type { S3ObjectKeys } from "./s3ObjectKeys.js";

/** Parts of a server-side copy: fewer requests than upload parts, well under S3's 5 GiB cap. */
const COPY_PARTS_PER_UPLOAD_PART = 16;

export interface S3WriteTarget {
  client: S3Client;
  bucket: string;
  keys: S3ObjectKeys;
  partSize: number;
}

function infoOf(key: string, size: number, sha256: string, createdAt: string, contentType?: string) {
  const info: ArtifactInfo = { key, size, sha256, createdAt };
  if (contentType !== undefined) info.contentType = contentType;
  return info;
}

function checkSha256(key: string, expected: string | undefined, actual: string): void {
  if (expected !== undefined && expected !== actual) throw new ArtifactChecksumError(key, expected, actual);
}

/** CopySource is `bucket/key`, URL-encoded per segment. */
function copySourceOf(bucket: string, objectKey: string): string {
  return `${bucket}/${objectKey.split("/").map(encodeURIComponent).join("/")}`;
}

export async function putS3Artifact(
  target: S3WriteTarget,
  key: string,
  body: Readable | AsyncIterable<Uint8Array>,
  options: PutOptions,
): Promise<ArtifactInfo> {
  const { client, bucket, keys, partSize } = target;
  const { expectedSha256, contentType, signal } = options;
  const objectKey = keys.objectKeyOf(key);
  const metered = meterBody(body, { key, partSize, maxBytes: options.maxBytes, signal });
  const createdAt = new Date().toISOString();
  let upload: S3MultipartUpload | undefined;
  let stagingKey: string | undefined;
  let staged = false;
  try {
    for await (const part of metered.parts) {
      if (upload === undefined) {
        if (part.last) {
          const { size, sha256 } = metered.totals();
          checkSha256(key, expectedSha256, sha256);
          const info = infoOf(key, size, sha256, createdAt, contentType);
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: objectKey,
              Body: part.bytes,
              ContentLength: part.bytes.byteLength,
              ContentType: contentTypeHeaderOf(contentType),
              Metadata: metadataOf(info),
            }),
            { abortSignal: signal },
          );
          return info;
        }
        if (expectedSha256 !== undefined) {
          upload = await S3MultipartUpload.create(
            {
              client,
              bucket,
              objectKey,
              contentType: contentTypeHeaderOf(contentType),
              metadata: metadataOf({ sha256: expectedSha256, createdAt, contentType }),
            },
            signal,
          );
        } else {
          stagingKey = keys.newStagingKey();
          upload = await S3MultipartUpload.create({ client, bucket, objectKey: stagingKey }, signal);
        }
      }
      await upload.uploadPart(part.bytes, signal);
    }
    if (upload === undefined) throw new Error("S3 put: the body ended without a last part");
    const { size, sha256 } = metered.totals();
    checkSha256(key, expectedSha256, sha256);
    signal?.throwIfAborted();
    await upload.complete(signal);
    upload = undefined;
    const info = infoOf(key, size, sha256, createdAt, contentType);
    if (stagingKey !== undefined) {
      staged = true;
      await copyIntoPlace(target, stagingKey, objectKey, info, signal);
    }
    return info;
  } catch (error) {
    await upload?.abort();
    throw error;
  } finally {
    if (staged && stagingKey !== undefined) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: stagingKey })).catch(() => {});
    }
  }
}

/** Copies a completed staging object to its key with the artifact's metadata, in ranged parts. */
async function copyIntoPlace(
  target: S3WriteTarget,
  stagingKey: string,
  objectKey: string,
  info: ArtifactInfo,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { client, bucket, partSize } = target;
  const copy = await S3MultipartUpload.create(
    {
      client,
      bucket,
      objectKey,
      contentType: contentTypeHeaderOf(info.contentType),
      metadata: metadataOf(info),
    },
    signal,
  );
  try {
    const source = copySourceOf(bucket, stagingKey);
    const step = partSize * COPY_PARTS_PER_UPLOAD_PART;
    for (let start = 0; start < info.size; start += step) {
      await copy.copyPart(source, start, Math.min(start + step, info.size) - 1, signal);
    }
    signal?.throwIfAborted();
    await copy.complete(signal);
  } catch (error) {
    await copy.abort();
    throw error;
  }
}
