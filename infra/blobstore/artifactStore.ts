/** The artifact-store port: opaque blobs (uploads, datasets, adapters, bundles) under `/`-separated keys. */
import type { Readable } from "node:stream";

export interface ArtifactInfo {
  key: string;
  size: number;
  sha256: string;
  contentType?: string;
  createdAt: string;
}

export interface PutOptions {
  /** Abort with ArtifactTooLargeError (nothing left behind) once more bytes than this arrive. */
  maxBytes?: number;
  /** Abort with ArtifactChecksumError (nothing left behind) when the content's sha256 differs. */
  expectedSha256?: string;
  contentType?: string;
  signal?: AbortSignal;
}

export interface GetOptions {
  /** Inclusive byte range, as in HTTP `Range`. */
  range?: { start: number; end?: number };
}

export interface ArtifactStore {
  /** Streams the body to the store; readers never see a partially written artifact. */
  put(key: string, body: Readable | AsyncIterable<Uint8Array>, options?: PutOptions): Promise<ArtifactInfo>;
  /** Throws ArtifactNotFoundError for an unknown key. */
  get(key: string, options?: GetOptions): Promise<Readable>;
  stat(key: string): Promise<ArtifactInfo | null>;
  /** Deleting an unknown key is not an error; returns whether something was deleted. */
  delete(key: string): Promise<boolean>;
  list(prefix: string): AsyncIterable<ArtifactInfo>;
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Removes what writes that never finished left behind (a crash mid-upload): temporary files, or S3
   * multipart uploads, started before `olderThan`. Returns how many were removed.
   */
  removeIncomplete(olderThan: Date): Promise<number>;
  /**
   * A URL that lets whoever holds it download the artifact with a plain HTTP GET until it expires, so
   * large artifacts (bundles, adapters) reach a client without passing through the platform. Optional:
   * only stores that an HTTP client can reach directly (S3) offer it. The URL grants access by itself
   * (treat it as a secret) and is not checked against the key's existence when made.
   */
  downloadUrl?(key: string, options: { expiresInSeconds: number }): Promise<string>;
  close(): Promise<void>;
}

export class ArtifactNotFoundError extends Error {
  override readonly name = "ArtifactNotFoundError";
  constructor(readonly key: string) {
    super(`artifact not found: ${key}`);
  }
}
export class ArtifactTooLargeError extends Error {
  override readonly name = "ArtifactTooLargeError";
  constructor(
    readonly key: string,
    readonly maxBytes: number,
  ) {
    super(`artifact ${key} exceeds the limit of ${maxBytes} bytes`);
  }
}
export class ArtifactChecksumError extends Error {
  override readonly name = "ArtifactChecksumError";
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`artifact ${key}: sha256 ${actual} does not match the expected ${expected}`);
  }
}
export class InvalidArtifactKeyError extends Error {
  override readonly name = "InvalidArtifactKeyError";
  constructor(readonly key: string) {
    super(`invalid artifact key: ${JSON.stringify(key)}`);
  }
}
