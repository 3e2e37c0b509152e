/**
 * Where artifact keys live in the bucket. Staged uploads go under a folder whose name no artifact key
 * can have (`~` is outside the key alphabet), so listings skip them without a second bucket.
 */
import { randomUUID } from "node:crypto";
import { isValidArtifactKey } from "./artifactKey.js";

const STAGING_DIR = "~staging/";
const SUFFIX = "!";

export class S3ObjectKeys {
  private readonly suffix: string;

  constructor(
    readonly keyPrefix: string,
    suffixObjectKeys: boolean,
  ) {
    this.suffix = suffixObjectKeys ? SUFFIX : "";
  }

  objectKeyOf(artifactKey: string): string {
    return `${this.keyPrefix}${artifactKey}${this.suffix}`;
  }

  /** The S3 prefix to list for an artifact-key prefix: never the suffix, which only ends whole keys. */
  objectPrefixOf(artifactPrefix: string): string {
    return `${this.keyPrefix}${artifactPrefix}`;
  }

  /** The artifact key an object stands for, or null for objects that are no artifact (staging, foreign). */
  artifactKeyOf(objectKey: string): string | null {
    if (!objectKey.startsWith(this.keyPrefix) || !objectKey.endsWith(this.suffix)) return null;
    const key = objectKey.slice(this.keyPrefix.length, objectKey.length - this.suffix.length);
    return isValidArtifactKey(key) ? key : null;
  }

  newStagingKey(): string {
    return `${this.keyPrefix}${STAGING_DIR}${randomUUID()}`;
  }
}
