import * as crypto from "node:crypto";
import { DigestSet } from "./digestSet.js";
import { SampleDropReason } from "./dropReason.js";
import { FingerprintIndex, maxIndexedDistance } from "./fingerprintIndex.js";
import { simHash } from "./simHash.js";

/** The largest distance offered; the default is 3 (a changed character or smiley, not a changed word). */
export const maxNearDuplicateDistance = maxIndexedDistance;

/** SHA-256 in hex: one-shot `crypto.hash` where Node has it (20.12+), no Hash object per sample. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text).digest("hex");

/** Case, spacing and Unicode form do not make a sample new. */
export function normaliseForDedupe(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * Remembers what was kept, in compact form only (typed arrays, no object per sample): a 64-bit digest of each
 * sample's assistant text (exact duplicates) and a 64-bit SimHash of the whole sample in a band index (near
 * duplicates, see FingerprintIndex): about 55–80 bytes a sample, so a build's memory stays nearly flat as
 * the export grows.
 */
export class SampleDeduper {
  private readonly exact = new DigestSet();
  private readonly near: FingerprintIndex | null;

  constructor(maxDistance: number) {
    if (!Number.isInteger(maxDistance) || maxDistance < -1 || maxDistance > maxNearDuplicateDistance)
      throw new RangeError(
        `near-duplicate distance must be an integer from -1 (off) to ${maxNearDuplicateDistance}`,
      );
    this.near = maxDistance >= 0 ? new FingerprintIndex(maxDistance) : null;
  }

  /** Null when the sample is new (and now remembered), else why it is a duplicate. */
  check(assistantText: string, sampleText: string): SampleDropReason | null {
    const digest = sha256Hex(normaliseForDedupe(assistantText));
    const hi = Number.parseInt(digest.slice(0, 8), 16);
    const lo = Number.parseInt(digest.slice(8, 16), 16);
    if (this.exact.has(hi, lo)) return "duplicate";
    if (this.near) {
      const fingerprint = simHash(normaliseForDedupe(sampleText));
      if (this.near.hasNear(fingerprint)) return "nearDuplicate";
      this.near.add(fingerprint);
    }
    this.exact.add(hi, lo);
    return null;
  }
}
