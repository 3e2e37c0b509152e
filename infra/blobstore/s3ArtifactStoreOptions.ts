/** How an S3ArtifactStore reaches its bucket, checked once when the store is made. */
import { validateArtifactPrefix } from "./artifactKey.js";

const MiB = 1024 * 1024;
/** S3 refuses parts under 5 MiB (all but the last) and over 5 GiB. */
export const MIN_PART_SIZE = 5 * MiB;
export const MAX_PART_SIZE = 5 * 1024 * MiB;
export const DEFAULT_PART_SIZE = 8 * MiB;

export interface S3ArtifactStoreOptions {
  bucket: string;
  region: string;
  /** For S3-compatible servers; left out for AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Bucket in the path rather than the host name; what most S3-compatible servers need. */
  forcePathStyle?: boolean;
  /** Put before every artifact key, so several stores can share a bucket; empty or ending in `/`. */
  keyPrefix?: string;
  /** Bytes per multipart part; also how much of a body sits in memory at once (two parts at most). */
  partSize?: number;
  /**
   * Appends `!` to every object key. Needed on servers that keep objects as files (versitygw's posix
   * backend), where `a` cannot be an object while `a/b` makes `a` a directory. `!` sorts below every
   * character of the key alphabet, so listings stay in key order.
   */
  suffixObjectKeys?: boolean;
}

export interface ResolvedS3Options {
  bucket: string;
  keyPrefix: string;
  partSize: number;
  suffixObjectKeys: boolean;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function resolveS3Options(options: S3ArtifactStoreOptions): ResolvedS3Options {
  const { bucket, keyPrefix = "", partSize = DEFAULT_PART_SIZE, suffixObjectKeys = false } = options;
  if (typeof bucket !== "string" || !BUCKET_NAME.test(bucket)) {
    throw new TypeError(`S3 artifact store: invalid bucket name ${JSON.stringify(bucket)}`);
  }
  if (typeof options.region !== "string" || options.region === "") {
    throw new TypeError("S3 artifact store: region is required");
  }
  if (keyPrefix !== "") {
    validateArtifactPrefix(keyPrefix, { allowEmpty: false });
    if (!keyPrefix.endsWith("/")) {
      throw new TypeError(`S3 artifact store: keyPrefix must end with "/", got ${JSON.stringify(keyPrefix)}`);
    }
  }
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
    throw new RangeError(
      `S3 artifact store: partSize must be an integer from ${MIN_PART_SIZE} to ${MAX_PART_SIZE} bytes, got ${partSize}`,
    );
  }
  return { bucket, keyPrefix, partSize, suffixObjectKeys };
}
