// A growable byte buffer that takes text and stores UTF-8: what a DynamicBytesSource
// prints into (the role Go's bytes.Buffer plays for gVisor's procfs and sysfs files).

const INITIAL_CAPACITY = 256;

/**
 * A growable byte buffer that takes text in and keeps UTF-8 bytes, for generating file
 * contents (procfs and sysfs files print into one; see `DynamicBytesSource`).
 *
 * @remarks
 * Text is encoded as it is appended, with a fast path for ASCII, into one backing array
 * that doubles when full, so printing a file costs one allocation in the common case.
 * Lone surrogates are encoded as U+FFFD, as `TextEncoder` does.
 *
 * @example
 * ```ts
 * const sink = new ByteSink();
 * sink.write("MemTotal:       ").write(String(16384)).write(" kB\n");
 * sink.bytes(); // Uint8Array of the UTF-8 text
 * ```
 * @public
 */
export class ByteSink {
  #buffer: Uint8Array;
  #length = 0;

  /**
   * @param initialCapacity - Bytes to allocate up front (default 256).
   */
  constructor(initialCapacity: number = INITIAL_CAPACITY) {
    this.#buffer = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** The number of bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /**
   * Appends `text` encoded as UTF-8.
   * @returns This sink, for chaining.
   */
  write(text: string): this {
    const count = text.length;
    // Worst case 3 bytes per UTF-16 unit (a surrogate pair is 2 units for 4 bytes).
    this.#reserve(count * 3);
    const buffer = this.#buffer;
    let at = this.#length;
    for (let i = 0; i < count; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        buffer[at++] = code;
        continue;
      }
      if (code < 0x800) {
        buffer[at++] = 0xc0 | (code >> 6);
        buffer[at++] = 0x80 | (code & 0x3f);
        continue;
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = i + 1 < count ? text.charCodeAt(i + 1) : 0;
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          i++;
          buffer[at++] = 0xf0 | (code >> 18);
          buffer[at++] = 0x80 | ((code >> 12) & 0x3f);
          buffer[at++] = 0x80 | ((code >> 6) & 0x3f);
          buffer[at++] = 0x80 | (code & 0x3f);
          continue;
        }
        code = 0xfffd; // a lone surrogate
      }
      buffer[at++] = 0xe0 | (code >> 12);
      buffer[at++] = 0x80 | ((code >> 6) & 0x3f);
      buffer[at++] = 0x80 | (code & 0x3f);
    }
    this.#length = at;
    return this;
  }

  /**
   * Appends raw bytes.
   * @returns This sink, for chaining.
   */
  writeBytes(bytes: Uint8Array): this {
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
    return this;
  }

  /**
   * Appends one byte (`0`–`255`).
   * @returns This sink, for chaining.
   */
  writeByte(byte: number): this {
    this.#reserve(1);
    this.#buffer[this.#length++] = byte;
    return this;
  }

  /**
   * The bytes written so far.
   * @remarks A view of the internal buffer: valid until the next write or {@link ByteSink.reset}.
   */
  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  /** The content decoded from UTF-8 (invalid sequences become U+FFFD). */
  toString(): string {
    return decodeUTF8(this.bytes());
  }

  /** Empties the sink, keeping its capacity. */
  reset(): void {
    this.#length = 0;
  }

  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buffer.length) return;
    let capacity = this.#buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }
}

/**
 * Decodes UTF-8 bytes into a string; malformed sequences become U+FFFD.
 *
 * @remarks
 * For filesystems that parse what is written to them (procfs, sysfs) without relying on
 * `TextDecoder`, which core packages do not assume (DESIGN.md D6).
 * @public
 */
export function decodeUTF8(bytes: Uint8Array): string {
  let text = "";
  let chunk: number[] = [];
  const flush = (): void => {
    text += String.fromCharCode(...chunk);
    chunk = [];
  };
  const count = bytes.length;
  for (let i = 0; i < count; ) {
    const b0 = bytes[i] ?? 0;
    let code = 0xfffd;
    let size = 1;
    if (b0 < 0x80) {
      code = b0;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      const b1 = bytes[i + 1] ?? 0;
      if ((b1 & 0xc0) === 0x80) {
        code = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
        size = 2;
      }
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      const b1 = bytes[i + 1] ?? 0;
      const b2 = bytes[i + 2] ?? 0;
      if ((b1 & 0xc0) === 0x80 && (b2 & 0xc0) === 0x80) {
        const c = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
        if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
          code = c;
          size = 3;
        }
      }
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      const b1 = bytes[i + 1] ?? 0;
      const b2 = bytes[i + 2] ?? 0;
      const b3 = bytes[i + 3] ?? 0;
      if ((b1 & 0xc0) === 0x80 && (b2 & 0xc0) === 0x80 && (b3 & 0xc0) === 0x80) {
        const c = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
        if (c >= 0x10000 && c <= 0x10ffff) {
          code = c;
          size = 4;
        }
      }
    }
    i += size;
    if (code >= 0x10000) {
      code -= 0x10000;
      chunk.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
    } else {
      chunk.push(code);
    }
    if (chunk.length >= 4096) flush();
  }
  flush();
  return text;
}
