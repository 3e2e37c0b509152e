import { createHash } from "node:crypto";
import { ArtifactTooLargeError } from "./artifactStore.js";

/**
 * Counts and hashes an artifact body chunk by chunk, refusing it on the first byte past `maxBytes`: one
 * definition of "size" and "sha256" for every adapter.
 */
export class BodyMeter {
  private readonly hash = createHash("sha256");
  private bytesSeen = 0;
  private digest: string | undefined;

  constructor(
    /** Only for the error message. */
    private readonly key: string,
    private readonly maxBytes: number | undefined,
  ) {}

  /** The chunk as bytes, once counted and hashed. */
  add(chunk: unknown): Uint8Array {
    const bytes = toBytes(chunk);
    this.bytesSeen += bytes.byteLength;
    if (this.maxBytes !== undefined && this.bytesSeen > this.maxBytes)
      throw new ArtifactTooLargeError(this.key, this.maxBytes);
    this.hash.update(bytes);
    return bytes;
  }

  get size(): number {
    return this.bytesSeen;
  }

  /** Ends the hash: call once the whole body was added. */
  sha256(): string {
    this.digest ??= this.hash.digest("hex");
    return this.digest;
  }
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  // A Readable with an encoding set yields strings; take them as the UTF-8 text they decode from.
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  throw new TypeError(`artifact body: expected chunks of bytes, got ${typeof chunk}`);
}
