/**
 * A set of 64-bit digests (two unsigned 32-bit words) in typed arrays: open addressing, linear probing, at
 * most three quarters full. 11–21 bytes a digest, where a `Set` of digest strings costs ~60 and a heap object
 * each. The all-zero digest is kept in a flag, since zero marks an empty slot.
 *
 * The table is split into 64 shards by the digest's hash, each growing on its own: a growth copies one
 * shard, so the set never holds an old and a new copy of the whole table at once (one table, doubling at
 * 1.6 M digests, briefly held its old 16 MB beside its new 32 MB).
 */
export class DigestSet {
  private readonly shards: Uint32Array[] = Array.from({ length: shardCount }, () => new Uint32Array(2 * 32));
  /** Digests in each shard. */
  private readonly counts = new Int32Array(shardCount);
  private hasZero = false;

  get size(): number {
    return this.counts.reduce((sum, n) => sum + n, 0) + (this.hasZero ? 1 : 0);
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.shards.reduce((sum, slots) => sum + slots.byteLength, 0);
  }

  has(hi: number, lo: number): boolean {
    if ((hi | lo) === 0) return this.hasZero;
    const h = hi >>> 0;
    const l = lo >>> 0;
    const m = mix(h, l);
    const slots = this.shards[m >>> shardShift]!;
    const slot = find(slots, h, l, m);
    return slots[2 * slot] === h && slots[2 * slot + 1] === l;
  }

  /** Adds the digest; false when it was there already. */
  add(hi: number, lo: number): boolean {
    if ((hi | lo) === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      return true;
    }
    const h = hi >>> 0;
    const l = lo >>> 0;
    const m = mix(h, l);
    const shard = m >>> shardShift;
    const slots = this.shards[shard]!;
    const slot = find(slots, h, l, m);
    if (slots[2 * slot] === h && slots[2 * slot + 1] === l) return false;
    slots[2 * slot] = h;
    slots[2 * slot + 1] = l;
    // Past three quarters full: twice the slots (capacity is slots.length / 2).
    if (8 * ++this.counts[shard]! > 3 * slots.length) this.grow(shard);
    return true;
  }

  private grow(shard: number): void {
    const old = this.shards[shard]!;
    const slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i]!;
      const l = old[i + 1]!;
      if ((h | l) === 0) continue;
      const slot = find(slots, h, l, mix(h, l));
      slots[2 * slot] = h;
      slots[2 * slot + 1] = l;
    }
    this.shards[shard] = slots;
  }
}

/** 64 shards, chosen by the hash's top 6 bits; a slot within a shard by its low bits. */
const shardShift = 26;
const shardCount = 1 << (32 - shardShift);

/** The slot holding the digest, or the empty slot where it would go; `m` is mix(hi, lo). */
function find(slots: Uint32Array, hi: number, lo: number, m: number): number {
  const mask = slots.length / 2 - 1;
  let slot = m & mask;
  for (;;) {
    const h = slots[2 * slot]!;
    const l = slots[2 * slot + 1]!;
    if ((h | l) === 0 || (h === hi && l === lo)) return slot;
    slot = (slot + 1) & mask;
  }
}

function mix(hi: number, lo: number): number {
  let h = Math.imul(hi ^ (lo >>> 15), 0x85ebca6b) ^ Math.imul(lo, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}
