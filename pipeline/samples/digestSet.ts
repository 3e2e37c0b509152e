/**
 * A set of 64-bit digests (two unsigned 32-bit words) in one typed array: open addressing, linear probing,
 * at most three quarters full. 11–21 bytes a digest, where a `Set` of digest strings costs ~60 and a heap object each.
 * The all-zero digest is kept in a flag, since zero marks an empty slot.
 */
export class DigestSet {
  private slots = new Uint32Array(2 * 1024);
  private count = 0;
  private hasZero = false;

  get size(): number {
    return this.count + (this.hasZero ? 1 : 0);
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  has(hi: number, lo: number): boolean {
    if ((hi | lo) === 0) return this.hasZero;
    const slot = this.find(this.slots, hi >>> 0, lo >>> 0);
    return this.slots[2 * slot] === hi >>> 0 && this.slots[2 * slot + 1] === lo >>> 0;
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
    const slot = this.find(this.slots, h, l);
    if (this.slots[2 * slot] === h && this.slots[2 * slot + 1] === l) return false;
    this.slots[2 * slot] = h;
    this.slots[2 * slot + 1] = l;
    this.count++;
    // Past three quarters full: twice the slots (capacity is slots.length / 2).
    if (8 * this.count > 3 * this.slots.length) this.grow();
    return true;
  }

  /** The slot holding the digest, or the empty slot where it would go. */
  private find(slots: Uint32Array, hi: number, lo: number): number {
    const mask = slots.length / 2 - 1;
    let slot = mix(hi, lo) & mask;
    for (;;) {
      const h = slots[2 * slot]!;
      const l = slots[2 * slot + 1]!;
      if ((h | l) === 0 || (h === hi && l === lo)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i]!;
      const l = old[i + 1]!;
      if ((h | l) === 0) continue;
      const slot = this.find(slots, h, l);
      slots[2 * slot] = h;
      slots[2 * slot + 1] = l;
    }
    this.slots = slots;
  }
}

function mix(hi: number, lo: number): number {
  let h = Math.imul(hi ^ (lo >>> 15), 0x85ebca6b) ^ Math.imul(lo, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}
