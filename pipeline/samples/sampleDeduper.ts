import * as crypto from "node:crypto";
import { DigestSet } from "./digestSet.js";
import { SampleDropReason } from "./dropReason.js";
import { FingerprintIndex, maxIndexedDistance } from "./fingerprintIndex.js";
import { Fingerprint, simHash } from "./simHash.js";

/** The largest distance offered; the default is 3 (a changed character or smiley, not a changed word). */
export const maxNearDuplicateDistance = maxIndexedDistance;

/** SHA-256 in hex: one-shot `crypto.hash` where Node has it (20.12+), no Hash object per sample. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text).digest("hex");

/**
 * Every run of white space that is not already one plain space: a run of two or more, or one other space
 * character. Replacing these with " " is replacing every run (`/\s+/g`), without a match at each word gap.
 */
const spaceToCollapse = /\s{2,}|[^\S ]/g;

/** Case, spacing and Unicode form do not make a sample new. */
export function normaliseForDedupe(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(spaceToCollapse, " ").trim();
}

/** What dedupe compares of one sample: the 64-bit digest of its reply text, the SimHash of all of it. */
export interface DedupeKeys {
  digestHi: number;
  digestLo: number;
  /** Null when near duplicates are not looked for. */
  near: Fingerprint | null;
}

/** The keys of one sample: pure, so they may be computed ahead, on another thread. */
export function dedupeKeysOf(assistantText: string, sampleText: string, near: boolean): DedupeKeys {
  const digest = sha256Hex(normaliseForDedupe(assistantText));
  return {
    digestHi: Number.parseInt(digest.slice(0, 8), 16),
    digestLo: Number.parseInt(digest.slice(8, 16), 16),
    near: near ? simHash(normaliseForDedupe(sampleText)) : null,
  };
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
    const keys = dedupeKeysOf(assistantText, sampleText, this.near !== null);
    return this.decide(keys.digestHi, keys.digestLo, keys.near);
  }

  /**
   * check() on keys computed by dedupeKeysOf (possibly on another thread, with `near` as this deduper has
   * it): null when the sample is new (and now remembered), else why it is a duplicate.
   */
  decide(digestHi: number, digestLo: number, near: Fingerprint | null): SampleDropReason | null {
    if (this.exact.has(digestHi, digestLo)) return "duplicate";
    if (this.near && near) {
      if (this.near.hasNear(near)) return "nearDuplicate";
      this.near.add(near);
    }
    this.exact.add(digestHi, digestLo);
    return null;
  }

  /** Whether near duplicates are looked for (the keys then need a fingerprint). */
  get findsNear(): boolean {
    return this.near !== null;
  }
}
