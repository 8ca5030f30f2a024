/** Accumulates text up to a byte limit, keeping room for the notes that say what was left out. */
export class SizeBudget {
  private readonly parts: string[] = [];
  private used = 0;

  constructor(private readonly limit: number) {}

  static bytes(s: string): number {
    return Buffer.byteLength(s, 'utf8');
  }

  get remaining(): number {
    return this.limit - this.used;
  }

  /** Adds `text` if `text` plus `reserve` bytes still fit; returns whether it was added. */
  tryAdd(text: string, reserve = 0): boolean {
    const n = SizeBudget.bytes(text);
    if (this.used + n + reserve > this.limit) return false;
    this.parts.push(text);
    this.used += n;
    return true;
  }

  /** Adds text that must appear (the caller reserved room for it). */
  add(text: string): void {
    this.parts.push(text);
    this.used += SizeBudget.bytes(text);
  }

  toString(): string {
    return this.parts.join('');
  }
}
