/**
 * A set of fixed-width integer tuples (interned term ids), numbered 0, 1, 2... in insertion
 * order, stored flat in one typed array and found through an open-addressing hash table, so an
 * answer table or the goal's solutions need no key strings and no per-tuple arrays.
 */
export class TupleSet {
  /** Tuple k occupies data[k * width .. (k + 1) * width). */
  data: Int32Array;
  size = 0;
  /** Hash slots holding tuple number + 1 (0 = empty); the length is a power of two. */
  private slots: Int32Array;

  constructor(readonly width: number) {
    this.data = new Int32Array(Math.max(width, 1) * 4);
    this.slots = new Int32Array(8);
  }

  /** The number of the tuple held in `key[0 .. width)`, added when new: then returned as `~number` (negative). */
  intern(key: ArrayLike<number>): number {
    const width = this.width;
    const mask = this.slots.length - 1;
    let slot = hashTuple(key, 0, width) & mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      if (this.equalsAt(entry - 1, key)) return entry - 1;
      slot = (slot + 1) & mask;
    }
    const number = this.size++;
    this.store(number, key);
    this.slots[slot] = number + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return ~number;
  }

  private equalsAt(number: number, key: ArrayLike<number>): boolean {
    const data = this.data;
    const base = number * this.width;
    for (let j = 0; j < this.width; j++) if (data[base + j] !== key[j]) return false;
    return true;
  }

  private store(number: number, key: ArrayLike<number>): void {
    const width = this.width;
    if ((number + 1) * width > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const base = number * width;
    for (let j = 0; j < width; j++) this.data[base + j] = key[j]!;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    const width = this.width;
    for (let number = 0; number < this.size; number++) {
      let slot = hashTuple(this.data, number * width, width) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = number + 1;
    }
    this.slots = slots;
  }
}

function hashTuple(key: ArrayLike<number>, offset: number, width: number): number {
  let h = 0x811c9dc5 ^ width;
  for (let j = 0; j < width; j++) {
    h = Math.imul(h ^ key[offset + j]!, 0x01000193);
    h ^= h >>> 15;
  }
  // Kept a 31-bit integer: an unsigned 32-bit result would be a heap number in V8.
  return Math.imul(h ^ (h >>> 13), 0x5bd1e995) & 0x3fffffff;
}
