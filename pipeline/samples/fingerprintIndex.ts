import type { Fingerprint } from "./simHash.js";

/** The largest distance the bands can guarantee (each band keeps at least 8 bits). */
export const maxIndexedDistance = 7;

const initialBuckets = 1024;
const chunkBits = 14;
const chunkSize = 1 << chunkBits;
const chunkMask = chunkSize - 1;
const maxBucketBits = 20;

/**
 * The SimHash fingerprints kept so far, found by Hamming distance. The 64 bits are cut into distance + 1
 * bands: two fingerprints within the distance differ in at most `distance` bits, so they agree on at least one
 * whole band (pigeonhole), and a lookup compares against the fingerprints sharing a band's bucket instead of
 * all of them. Everything lives in typed arrays: the fingerprints (8 bytes each), and per band a chain through
 * them (4 bytes each) from a bucket table hashed from the band's bits, grown with the count. At the default
 * distance 3 that is 24 bytes a fingerprint, in chunks of 16 Ki entries that are never copied; an index of
 * maps of arrays cost about five times that, which made a 4 GB export's build grow by hundreds of megabytes.
 */
export class FingerprintIndex {
  /**
   * The entries in fixed-size chunks (never copied on growth, so no moment holds the old and the new array
   * together): per entry its two words, then per band the next older entry of its bucket (-1: none).
   */
  private readonly chunks: Int32Array[] = [];
  private readonly stride: number;
  private count = 0;
  private readonly bandCount: number;
  private readonly bandBits: number;
  /** Per band: the newest entry of each bucket (-1: none). */
  private heads: Int32Array[];
  private bucketBits = Math.log2(initialBuckets);

  constructor(private readonly maxDistance: number) {
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > maxIndexedDistance)
      throw new RangeError(`fingerprint distance must be an integer from 0 to ${maxIndexedDistance}`);
    this.bandCount = maxDistance + 1;
    this.bandBits = Math.floor(64 / this.bandCount);
    this.stride = 2 + this.bandCount;
    this.heads = Array.from({ length: this.bandCount }, () => new Int32Array(initialBuckets).fill(-1));
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    let total = 0;
    for (const chunk of this.chunks) total += chunk.byteLength;
    for (const heads of this.heads) total += heads.byteLength;
    return total;
  }

  /** Whether a kept fingerprint lies within the distance of this one. */
  hasNear(f: Fingerprint): boolean {
    const hi = f.hi | 0;
    const lo = f.lo | 0;
    const { chunks, stride } = this;
    for (let band = 0; band < this.bandCount; band++) {
      let i = this.heads[band]![this.bucketOf(hi >>> 0, lo >>> 0, band)]!;
      while (i !== -1) {
        const chunk = chunks[i >>> chunkBits]!;
        const at = (i & chunkMask) * stride;
        if (popcount32(chunk[at]! ^ hi) + popcount32(chunk[at + 1]! ^ lo) <= this.maxDistance) return true;
        i = chunk[at + 2 + band]!;
      }
    }
    return false;
  }

  add(f: Fingerprint): void {
    const index = this.count++;
    if ((index & chunkMask) === 0) this.chunks.push(new Int32Array(chunkSize * this.stride));
    const chunk = this.chunks[index >>> chunkBits]!;
    const at = (index & chunkMask) * this.stride;
    chunk[at] = f.hi | 0;
    chunk[at + 1] = f.lo | 0;
    if (this.count > 2 << this.bucketBits && this.bucketBits < Math.min(maxBucketBits, this.bandBits))
      this.rehash(this.bucketBits + 1);
    else this.link(index);
  }

  /** The bucket of a fingerprint's band: the band's bits, hashed into the table's size. */
  private bucketOf(hi: number, lo: number, band: number): number {
    const start = band * this.bandBits;
    const bits = this.bandBits;
    // The 64-bit value shifted right by `start`, as two words.
    let w0: number;
    let w1: number;
    if (start === 0) {
      w0 = lo;
      w1 = hi;
    } else if (start < 32) {
      w0 = (lo >>> start) | (hi << (32 - start));
      w1 = hi >>> start;
    } else {
      w0 = hi >>> (start - 32);
      w1 = 0;
    }
    // Masked to the band's width.
    if (bits < 32) {
      w0 &= (1 << bits) - 1;
      w1 = 0;
    } else if (bits < 64) w1 &= bits === 32 ? 0 : (1 << (bits - 32)) - 1;
    let h = Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 13;
    return h & ((1 << this.bucketBits) - 1);
  }

  private link(index: number): void {
    const chunk = this.chunks[index >>> chunkBits]!;
    const at = (index & chunkMask) * this.stride;
    const hi = chunk[at]! >>> 0;
    const lo = chunk[at + 1]! >>> 0;
    for (let band = 0; band < this.bandCount; band++) {
      const heads = this.heads[band]!;
      const bucket = this.bucketOf(hi, lo, band);
      chunk[at + 2 + band] = heads[bucket]!;
      heads[bucket] = index;
    }
  }

  /** A bigger bucket table (chains stay short as the count grows); every fingerprint linked again. */
  private rehash(bucketBits: number): void {
    this.bucketBits = bucketBits;
    this.heads = this.heads.map(() => new Int32Array(1 << bucketBits).fill(-1));
    for (let index = 0; index < this.count; index++) this.link(index);
  }
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
