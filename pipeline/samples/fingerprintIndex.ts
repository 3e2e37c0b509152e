import type { Fingerprint } from "./simHash.js";

/** The largest distance the bands can guarantee (each band keeps at least 8 bits). */
export const maxIndexedDistance = 7;

const initialBuckets = 1024;
const maxBucketBits = 20;
/** Entries a block holds, by the block's place in its bucket: small first, so a bucket of one wastes little. */
const firstCapacity = 2;
const maxCapacity = 8;
/** Words per pool chunk (256 KiB): blocks never straddle two, and chunks are never copied. */
const chunkBits = 16;
const chunkWords = 1 << chunkBits;
const chunkMask = chunkWords - 1;

/**
 * The SimHash fingerprints kept so far, found by Hamming distance. The 64 bits are cut into distance + 1
 * bands: two fingerprints within the distance differ in at most `distance` bits, so they agree on at least one
 * whole band (pigeonhole), and a lookup compares against the fingerprints sharing a band's bucket instead of
 * all of them.
 *
 * A bucket's fingerprints lie together, in blocks of up to 8 (a bucket's first blocks smaller), each block
 * linked to the bucket's older one: a lookup reads them in sequence. Replies that are many near-identical
 * texts (more than the distance apart, so all kept) share bands, and their buckets grow long; a chain of
 * single entries cost a cache miss per fingerprint compared (a 400 MB export's lookups walked ~985 each and
 * took 40 % of its build), blocks cost one per eight. Everything lives in typed arrays, per band a pool in
 * 256 KiB chunks that are never copied; at the default distance 3 about 40–60 bytes a fingerprint (the chains
 * of single entries took 24, but a lookup's time grew with the square of the kept samples).
 */
export class FingerprintIndex {
  private count = 0;
  private readonly bandCount: number;
  private readonly bandBits: number;
  private bucketBits = Math.log2(initialBuckets);
  /** Per band: the newest block of each bucket (-1: none). */
  private heads: Int32Array[];
  /** Per band: the blocks. A block is [capacity << 16 | used, the bucket's older block or -1, hi, lo, hi, lo…]. */
  private pools: Pool[];

  constructor(private readonly maxDistance: number) {
    if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > maxIndexedDistance)
      throw new RangeError(`fingerprint distance must be an integer from 0 to ${maxIndexedDistance}`);
    this.bandCount = maxDistance + 1;
    this.bandBits = Math.floor(64 / this.bandCount);
    this.heads = this.newHeads();
    this.pools = Array.from({ length: this.bandCount }, () => new Pool());
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    let total = 0;
    for (const pool of this.pools) total += pool.bytes;
    for (const heads of this.heads) total += heads.byteLength;
    return total;
  }

  /** Whether a kept fingerprint lies within the distance of this one. */
  hasNear(f: Fingerprint): boolean {
    const hi = f.hi | 0;
    const lo = f.lo | 0;
    const max = this.maxDistance;
    for (let band = 0; band < this.bandCount; band++) {
      const chunks = this.pools[band]!.chunks;
      let block = this.heads[band]![this.bucketOf(hi >>> 0, lo >>> 0, band)]!;
      while (block !== -1) {
        const chunk = chunks[block >>> chunkBits]!;
        const at = block & chunkMask;
        const end = at + 2 + 2 * (chunk[at]! & 0xffff);
        for (let i = at + 2; i < end; i += 2)
          if (popcount32(chunk[i]! ^ hi) + popcount32(chunk[i + 1]! ^ lo) <= max) return true;
        block = chunk[at + 1]!;
      }
    }
    return false;
  }

  add(f: Fingerprint): void {
    this.count++;
    if (this.count > 2 << this.bucketBits && this.bucketBits < Math.min(maxBucketBits, this.bandBits))
      this.rehash(this.bucketBits + 1);
    this.insert(f.hi | 0, f.lo | 0);
  }

  private insert(hi: number, lo: number): void {
    for (let band = 0; band < this.bandCount; band++) {
      const heads = this.heads[band]!;
      const pool = this.pools[band]!;
      const bucket = this.bucketOf(hi >>> 0, lo >>> 0, band);
      let block = heads[bucket]!;
      let capacity = firstCapacity;
      if (block !== -1) {
        const header = pool.chunks[block >>> chunkBits]![block & chunkMask]!;
        capacity = header >>> 16;
        if ((header & 0xffff) === capacity) capacity = Math.min(2 * capacity, maxCapacity);
        else capacity = 0; // room in the newest block
      }
      if (capacity > 0) {
        const fresh = pool.allocate(2 + 2 * capacity);
        const chunk = pool.chunks[fresh >>> chunkBits]!;
        chunk[fresh & chunkMask] = capacity << 16;
        chunk[(fresh & chunkMask) + 1] = block;
        heads[bucket] = fresh;
        block = fresh;
      }
      const chunk = pool.chunks[block >>> chunkBits]!;
      const at = block & chunkMask;
      const used = chunk[at]! & 0xffff;
      chunk[at + 2 + 2 * used] = hi;
      chunk[at + 3 + 2 * used] = lo;
      chunk[at] = chunk[at]! + 1;
    }
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

  private newHeads(): Int32Array[] {
    return Array.from({ length: this.bandCount }, () => new Int32Array(1 << this.bucketBits).fill(-1));
  }

  /**
   * A bigger bucket table (buckets stay short while the count grows), every fingerprint placed again: read from
   * the first band's pool, which holds each once. Only while the table grows (at distance 3 up to 2^16 buckets,
   * about 130,000 fingerprints), so the moment holding both copies stays small.
   */
  private rehash(bucketBits: number): void {
    const old = this.pools[0]!;
    this.bucketBits = bucketBits;
    this.heads = this.newHeads();
    this.pools = Array.from({ length: this.bandCount }, () => new Pool());
    old.forEachEntry((hi, lo) => this.insert(hi, lo));
  }
}

/** Blocks bump-allocated in chunks of 2^16 words; a block's address is its chunk's number and offset in one. */
class Pool {
  readonly chunks: Int32Array[] = [];
  /** Words used in the newest chunk. */
  private used = chunkWords;
  private readonly ends: number[] = [];

  get bytes(): number {
    return this.chunks.length * chunkWords * 4;
  }

  allocate(words: number): number {
    if (this.used + words > chunkWords) {
      if (this.chunks.length > 0) this.ends.push(this.used);
      this.chunks.push(new Int32Array(chunkWords));
      this.used = 0;
    }
    const address = (this.chunks.length - 1) * chunkWords + this.used;
    this.used += words;
    return address;
  }

  forEachEntry(visit: (hi: number, lo: number) => void): void {
    this.chunks.forEach((chunk, c) => {
      const end = c < this.ends.length ? this.ends[c]! : this.used;
      for (let at = 0; at < end; at += 2 + 2 * (chunk[at]! >>> 16)) {
        const used = chunk[at]! & 0xffff;
        for (let i = 0; i < used; i++) visit(chunk[at + 2 + 2 * i]!, chunk[at + 3 + 2 * i]!);
      }
    });
  }
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
