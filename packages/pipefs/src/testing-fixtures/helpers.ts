// Test-only helpers (excluded from the build): errno assertions, deterministic byte
// streams and a fast hash for comparing what went into a pipe with what came out.
export { expectErrno } from "@vfskit/vfs/testing";

/** `length` bytes counting up from `start` (mod 256): easy to check for order and gaps. */
export function counting(length: number, start = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (start + i) & 0xff;
  return bytes;
}

/** `length` copies of `byte`. */
export function filled(length: number, byte: number): Uint8Array {
  return new Uint8Array(length).fill(byte);
}

/**
 * A deterministic pseudo-random byte stream (xorshift32), filled a word at a time.
 */
export class ByteStream {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }

  /** Fills `dst` (its length must be a multiple of 4) with the next bytes of the stream. */
  fill(dst: Uint8Array): void {
    const words = new Uint32Array(dst.buffer, dst.byteOffset, dst.length >>> 2);
    let x = this.#state;
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x;
    }
    this.#state = x >>> 0;
  }
}

/**
 * A running 32-bit hash in the style of FNV-1a, mixing a little-endian 32-bit word at a
 * time (fast enough for hundreds of MiB). The same bytes in the same order give the same
 * value however they are split into pieces.
 */
export class WordHash {
  #hash = 0x811c9dc5;
  #pending = 0;
  #pendingBytes = 0;
  /** Bytes hashed so far. */
  length = 0;

  /** Hashes `bytes`. */
  update(bytes: Uint8Array): void {
    const count = bytes.length;
    let i = 0;
    let h = this.#hash;
    // Finish a word left over from the previous piece, byte by byte.
    while (this.#pendingBytes !== 0 && i < count) {
      this.#pending |= (bytes[i++] as number) << (8 * this.#pendingBytes);
      if (++this.#pendingBytes === 4) {
        h = Math.imul(h ^ this.#pending, 0x01000193);
        this.#pending = 0;
        this.#pendingBytes = 0;
      }
    }
    const whole = (count - i) & ~3;
    if (((bytes.byteOffset + i) & 3) === 0) {
      const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, whole >>> 2);
      for (let w = 0; w < words.length; w++) h = Math.imul(h ^ (words[w] as number), 0x01000193);
    } else {
      for (let w = i; w < i + whole; w += 4) {
        const word = (bytes[w] as number) | ((bytes[w + 1] as number) << 8) | ((bytes[w + 2] as number) << 16) | ((bytes[w + 3] as number) << 24);
        h = Math.imul(h ^ word, 0x01000193);
      }
    }
    i += whole;
    for (; i < count; i++) this.#pending |= (bytes[i] as number) << (8 * this.#pendingBytes++);
    this.#hash = h;
    this.length += count;
  }

  /** The hash so far (a pending partial word is mixed in, zero-padded). */
  digest(): number {
    const h = this.#pendingBytes === 0 ? this.#hash : Math.imul(this.#hash ^ this.#pending, 0x01000193);
    return h >>> 0;
  }
}
