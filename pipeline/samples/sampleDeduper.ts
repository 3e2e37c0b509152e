import * as crypto from "node:crypto";
import { SampleDropReason } from "./dropReason.js";
import { Fingerprint, hammingDistance, simHash } from "./simHash.js";

/** The largest distance offered; the default is 3 (a changed character or smiley, not a changed word). */
export const maxNearDuplicateDistance = 7;

/** SHA-256 in base64: one-shot `crypto.hash` where Node has it (20.12+), no Hash object per sample. */
const sha256Base64: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "base64")
    : (text) => crypto.createHash("sha256").update(text).digest("base64");

/** Case, spacing and Unicode form do not make a sample new. */
export function normaliseForDedupe(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * Remembers what was kept, in compact form only: a 72-bit digest of each sample's assistant text
 * (exact duplicates) and a 64-bit SimHash of the whole sample, indexed by distance + 1 bands: two
 * fingerprints within the distance differ in at most `distance` bands, so they share one (pigeonhole),
 * and a lookup compares against one band's bucket instead of every sample so far.
 */
export class SampleDeduper {
  private readonly exact = new Set<string>();
  private his = new Uint32Array(1024);
  private los = new Uint32Array(1024);
  private size = 0;
  private readonly bands: Array<Map<number, number[]>>;
  private readonly bandBits: number;

  constructor(private readonly maxDistance: number) {
    if (!Number.isInteger(maxDistance) || maxDistance < -1 || maxDistance > maxNearDuplicateDistance)
      throw new RangeError(
        `near-duplicate distance must be an integer from -1 (off) to ${maxNearDuplicateDistance}`,
      );
    const bandCount = Math.max(1, maxDistance + 1);
    this.bandBits = Math.floor(64 / bandCount);
    this.bands = Array.from({ length: bandCount }, () => new Map());
  }

  /** Null when the sample is new (and now remembered), else why it is a duplicate. */
  check(assistantText: string, sampleText: string): SampleDropReason | null {
    const digest = sha256Base64(normaliseForDedupe(assistantText)).slice(0, 12);
    if (this.exact.has(digest)) return "duplicate";
    if (this.maxDistance >= 0) {
      const fingerprint = simHash(normaliseForDedupe(sampleText));
      if (this.findNear(fingerprint)) return "nearDuplicate";
      this.remember(fingerprint);
    }
    this.exact.add(digest);
    return null;
  }

  private bandKeys(f: Fingerprint): number[] {
    const whole = (BigInt(f.hi) << 32n) | BigInt(f.lo);
    const mask = (1n << BigInt(this.bandBits)) - 1n;
    return this.bands.map((_, band) => Number((whole >> BigInt(band * this.bandBits)) & mask));
  }

  private findNear(f: Fingerprint): boolean {
    const keys = this.bandKeys(f);
    for (let band = 0; band < this.bands.length; band++) {
      for (const index of this.bands[band]!.get(keys[band]!) ?? []) {
        if (hammingDistance(f, { hi: this.his[index]!, lo: this.los[index]! }) <= this.maxDistance)
          return true;
      }
    }
    return false;
  }

  private remember(f: Fingerprint): void {
    if (this.size === this.his.length) {
      const his = new Uint32Array(this.size * 2);
      his.set(this.his);
      this.his = his;
      const los = new Uint32Array(this.size * 2);
      los.set(this.los);
      this.los = los;
    }
    this.his[this.size] = f.hi;
    this.los[this.size] = f.lo;
    const keys = this.bandKeys(f);
    for (let band = 0; band < this.bands.length; band++) {
      const bucket = this.bands[band]!.get(keys[band]!);
      if (bucket) bucket.push(this.size);
      else this.bands[band]!.set(keys[band]!, [this.size]);
    }
    this.size++;
  }
}
