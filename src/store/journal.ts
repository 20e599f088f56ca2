/**
 * The run's journal: every statement applied since the boot, with the simulated time it ran at —
 * what time travel replays. An immutable list that shares its storage between versions, so that
 * appending one statement copies at most one small chunk (not the whole run, as an array spread
 * did: at 1000 writes a second that was quadratic), and that can forget its oldest statements
 * (the timeline's cap) without renumbering the others: indices stay those of the whole run.
 *
 * Each entry carries the `key` of the run up to and including it, a 53-bit rolling hash of every
 * (time, text) before it. Two journals agree on their first n statements when their keys at n
 * agree, so "is this run a prefix of that one" costs one comparison, not a walk of both.
 */

/** One applied statement. */
export interface JournalEntry {
  /** Simulated ms it ran at. */
  readonly at: number;
  /** The statement as formatStatement wrote it. */
  readonly text: string;
  /** Rolling hash of the run's statements up to and including this one. */
  readonly key: number;
}

/** Entries per shared chunk. */
const CHUNK = 256;
const LOW = 2 ** 21;

/** The key of `prev`'s run followed by (at, text): two 32-bit lanes folded into 53 bits. */
function nextKey(prev: number, at: number, text: string): number {
  let a = Math.floor(prev / LOW) ^ 0x9e3779b9;
  let b = (prev % LOW) ^ 0x85ebca6b;
  const s = `${at}\u0000${text}`;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return (a >>> 0) * LOW + ((b >>> 0) % LOW);
}

export class Journal {
  static readonly EMPTY = new Journal([], [], 0, 0, 0);

  private constructor(
    /** Full chunks of CHUNK entries, never written again. */
    private readonly chunks: readonly (readonly JournalEntry[])[],
    /** The last, partial chunk. */
    private readonly tail: readonly JournalEntry[],
    /** Index (in the whole run) of chunks[0][0], or of tail[0] without chunks. */
    private readonly origin: number,
    /** Index of the first statement still kept: those before it were forgotten. */
    readonly start: number,
    /** The key of the run's first `start` statements (0 for none). */
    private readonly startKey: number,
  ) {}

  /** Statements in the whole run (forgotten ones included). */
  get length(): number {
    return this.origin + this.chunks.length * CHUNK + this.tail.length;
  }

  /** Statements still kept. */
  get kept(): number {
    return this.length - this.start;
  }

  /** Statement `i` of the run, if it is kept. */
  get(i: number): JournalEntry | undefined {
    if (!Number.isInteger(i) || i < this.start || i >= this.length) return undefined;
    const r = i - this.origin;
    const c = Math.floor(r / CHUNK);
    return c < this.chunks.length ? this.chunks[c]![r % CHUNK] : this.tail[r - c * CHUNK];
  }

  /** The key of the run's first `n` statements; undefined if statement n-1 is forgotten. */
  keyAt(n: number): number | undefined {
    if (n === this.start) return this.startKey;
    return this.get(n - 1)?.key;
  }

  /** This journal with (at, text) appended. */
  push(at: number, text: string): Journal {
    const key = nextKey(this.keyAt(this.length) ?? 0, at, text);
    const tail = [...this.tail, { at, text, key }];
    if (tail.length < CHUNK)
      return new Journal(this.chunks, tail, this.origin, this.start, this.startKey);
    return new Journal([...this.chunks, tail], [], this.origin, this.start, this.startKey);
  }

  /** The run's first `n` statements (at least those already forgotten). */
  truncate(n: number): Journal {
    const end = Math.max(this.start, Math.min(this.length, n));
    if (end === this.length) return this;
    const full = Math.floor((end - this.origin) / CHUNK);
    const tail = (this.chunks[full] ?? this.tail).slice(0, end - this.origin - full * CHUNK);
    return new Journal(this.chunks.slice(0, full), tail, this.origin, this.start, this.startKey);
  }

  /** Forgets the statements before index `n` (their key stays: prefixes still compare). */
  forgetBefore(n: number): Journal {
    const start = Math.max(this.start, Math.min(this.length, n));
    if (start === this.start) return this;
    const startKey = this.keyAt(start)!;
    const drop = Math.floor((start - this.origin) / CHUNK);
    return new Journal(
      this.chunks.slice(drop),
      this.tail,
      this.origin + drop * CHUNK,
      start,
      startKey,
    );
  }

  /** Whether this run's statements are the first ones of `other`'s run. */
  isPrefixOf(other: Journal): boolean {
    if (this.length > other.length) return false;
    const mine = this.keyAt(this.length);
    return mine !== undefined && mine === other.keyAt(this.length);
  }

  /** The kept entries from index `from` (default: the first kept) to `to` (default: the end). */
  *entries(from = this.start, to = this.length): Generator<JournalEntry> {
    for (let i = Math.max(from, this.start); i < Math.min(to, this.length); i++) yield this.get(i)!;
  }

  /** The kept statements' texts, oldest first. */
  texts(from = this.start): string[] {
    return Array.from(this.entries(from), (e) => e.text);
  }

  /** A journal of these statements, in order. */
  static of(entries: Iterable<{ readonly at: number; readonly text: string }>): Journal {
    let j = Journal.EMPTY;
    for (const e of entries) j = j.push(e.at, e.text);
    return j;
  }
}
