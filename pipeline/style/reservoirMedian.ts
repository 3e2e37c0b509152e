/**
 * A median over a stream in bounded memory: exact while the stream fits the reservoir, then an estimate
 * from a uniform sample (Algorithm R). The generator is seeded so that the same input gives the same profile.
 */
export class ReservoirMedian {
  private readonly sample: number[] = [];
  private seen = 0;
  private state: number;

  constructor(
    private readonly capacity = 10_000,
    seed = 0x2545f491,
  ) {
    this.state = seed >>> 0 || 1;
  }

  add(value: number): void {
    this.seen++;
    if (this.sample.length < this.capacity) {
      this.sample.push(value);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.capacity) this.sample[slot] = value;
  }

  median(): number | null {
    if (this.sample.length === 0) return null;
    const sorted = [...this.sample].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  private random(): number {
    // xorshift32: tiny, seedable, good enough for picking reservoir slots.
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}
