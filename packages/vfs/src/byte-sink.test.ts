import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ByteSink, decodeUTF8 } from "./byte-sink.js";

// A reference encoder for comparison, written from the UTF-8 definition (RFC 3629).
function referenceEncode(text: string): number[] {
  const out: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return out;
}

describe("ByteSink", () => {
  test("starts empty and appends text, bytes and single bytes in order", () => {
    const sink = new ByteSink();
    expect(sink.length).toBe(0);
    sink.write("cpu ").writeBytes(new Uint8Array([0x31, 0x32])).writeByte(0x0a);
    expect([...sink.bytes()]).toEqual([0x63, 0x70, 0x75, 0x20, 0x31, 0x32, 0x0a]);
    expect(sink.toString()).toBe("cpu 12\n");
    expect(sink.length).toBe(7);
  });

  test.each([
    ["ASCII", "abc", [0x61, 0x62, 0x63]],
    ["2-byte", "é", [0xc3, 0xa9]],
    ["3-byte", "€", [0xe2, 0x82, 0xac]],
    ["4-byte (surrogate pair)", "😀", [0xf0, 0x9f, 0x98, 0x80]],
    ["lone high surrogate", "a\ud800b", [0x61, 0xef, 0xbf, 0xbd, 0x62]],
    ["lone low surrogate at end", "\udc00", [0xef, 0xbf, 0xbd]],
  ])("encodes %s as UTF-8", (_name, text, bytes) => {
    expect([...new ByteSink().write(text).bytes()]).toEqual(bytes);
  });

  test("grows past its initial capacity without losing data", () => {
    const sink = new ByteSink(16);
    const line = "0123456789abcdef\n";
    for (let i = 0; i < 1000; i++) sink.write(line);
    expect(sink.length).toBe(line.length * 1000);
    expect(sink.toString()).toBe(line.repeat(1000));
    sink.writeBytes(new Uint8Array(5000).fill(0x41));
    expect(sink.length).toBe(line.length * 1000 + 5000);
  });

  test("reset empties it and keeps working", () => {
    const sink = new ByteSink();
    sink.write("old content");
    sink.reset();
    expect(sink.length).toBe(0);
    sink.write("new");
    expect(sink.toString()).toBe("new");
  });

  test("matches a reference UTF-8 encoder for any string (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect([...new ByteSink(16).write(text).bytes()]).toEqual(referenceEncode(text));
      }),
    );
  });

  test("decodeUTF8 inverts the encoding of well-formed strings (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(decodeUTF8(new ByteSink().write(text).bytes())).toBe(text);
      }),
    );
  });

  test.each([
    ["stray continuation byte", [0x80], "\ufffd"],
    ["truncated 2-byte sequence", [0xc3], "\ufffd"],
    ["overlong encoding", [0xc0, 0xaf], "\ufffd\ufffd"],
    ["encoded surrogate", [0xed, 0xa0, 0x80], "\ufffd\ufffd\ufffd"],
    ["above U+10FFFF", [0xf5, 0x80, 0x80, 0x80], "\ufffd\ufffd\ufffd\ufffd"],
  ])("decodeUTF8 replaces a %s with U+FFFD", (_name, bytes, text) => {
    expect(decodeUTF8(new Uint8Array(bytes))).toBe(text);
  });

  test("decodeUTF8 handles long inputs", () => {
    const text = "x".repeat(100_000) + "é";
    expect(decodeUTF8(new ByteSink().write(text).bytes())).toBe(text);
  });
});
