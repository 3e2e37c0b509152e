/** Checks PutOptions at the boundary, the same way for every adapter. */
import type { PutOptions } from "./artifactStore.js";

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function validatePutOptions(options: PutOptions): void {
  const { maxBytes, expectedSha256, contentType } = options;
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
    throw new TypeError(`put option maxBytes: expected a non-negative integer, got ${String(maxBytes)}`);
  }
  if (expectedSha256 !== undefined && !SHA256_HEX.test(expectedSha256)) {
    throw new TypeError(
      `put option expectedSha256: expected 64 lowercase hex digits, got ${JSON.stringify(expectedSha256)}`,
    );
  }
  if (contentType !== undefined && (typeof contentType !== "string" || contentType.length > 255)) {
    throw new TypeError("put option contentType: expected a string of at most 255 characters");
  }
}
