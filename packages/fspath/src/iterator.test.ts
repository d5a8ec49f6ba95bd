import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parse } from "./fspath.js";
import { Cursor } from "./iterator.js";

describe("PathIterator", () => {
  test("successive remainders of /foo//bar///baz/ (gVisor's partial pathnames)", () => {
    const path = parse("/foo//bar///baz/");
    let it = path.begin;
    expect(it.remainder()).toBe("foo//bar///baz");
    it = it.next();
    expect(it.remainder()).toBe("bar///baz");
    it = it.next();
    expect(it.remainder()).toBe("baz");
    it = it.next();
    expect(it.remainder()).toBe("");
    expect(it.ok()).toBe(false);
  });

  test("next is pure: the original iterator keeps its position", () => {
    const begin = parse("a/b").begin;
    const second = begin.next();
    expect(begin.string()).toBe("a");
    expect(second.string()).toBe("b");
  });

  test("a terminal iterator stays terminal", () => {
    const end = parse("a").begin.next();
    expect(end.ok()).toBe(false);
    expect(end.next()).toBe(end);
    expect(end.string()).toBe("");
    expect(end.nextOk()).toBe(false);
    expect(end.start).toBe(1);
    expect(end.end).toBe(1);
  });

  test("nextOk marks the final component", () => {
    const finals: boolean[] = [];
    for (let it = parse("/a//b/c//").begin; it.ok(); it = it.next()) finals.push(!it.nextOk());
    expect(finals).toEqual([false, false, true]);
  });

  test("string is cached", () => {
    const it = parse("/a-long-component-name/x").begin;
    expect(it.string()).toBe(it.string());
  });

  test.each([
    ["foo", "foo", true],
    ["foo", "fo", false],
    ["foo", "fooo", false],
    ["foo", "", false],
    ["fo/o", "fo", true],
    ["日本", "日本", true],
  ])("equals: %s vs %s", (pathname, name, expected) => {
    expect(parse(pathname).begin.equals(name)).toBe(expected);
  });

  test.each([
    [".", true, false],
    ["..", false, true],
    ["...", false, false],
    [".a", false, false],
    ["a.", false, false],
    ["./x", true, false],
    ["../x", false, true],
    ["", false, false],
  ])("isDot / isDotDot: %s", (pathname, dot, dotDot) => {
    const begin = parse(pathname).begin;
    expect(begin.isDot()).toBe(dot);
    expect(begin.isDotDot()).toBe(dotDot);
    expect(begin.cursor().isDot()).toBe(dot);
    expect(begin.cursor().isDotDot()).toBe(dotDot);
  });
});

describe("Cursor", () => {
  test("advances in place and reports ok", () => {
    const cursor = parse("//a///b/").begin.cursor();
    expect(cursor.string()).toBe("a");
    expect(cursor.remainder()).toBe("a///b");
    expect(cursor.nextOk()).toBe(true);
    expect(cursor.advance()).toBe(true);
    expect(cursor.string()).toBe("b");
    expect([cursor.start, cursor.end]).toEqual([6, 7]);
    expect(cursor.nextOk()).toBe(false);
    expect(cursor.advance()).toBe(false);
    expect(cursor.ok()).toBe(false);
    expect(cursor.string()).toBe("");
    expect(cursor.remainder()).toBe("");
    expect(cursor.advance()).toBe(false);
    expect(cursor.ok()).toBe(false);
  });

  test("new Cursor() is terminal", () => {
    const cursor = new Cursor();
    expect(cursor.ok()).toBe(false);
    expect(cursor.advance()).toBe(false);
    expect(cursor.string()).toBe("");
  });

  test("clone and iterator are independent copies", () => {
    const cursor = parse("a/b/c").begin.cursor();
    cursor.advance();
    const clone = cursor.clone();
    const snapshot = cursor.iterator();
    cursor.advance();
    expect(cursor.string()).toBe("c");
    expect(clone.string()).toBe("b");
    expect(snapshot.string()).toBe("b");
    expect(snapshot.next().string()).toBe("c");
    clone.advance();
    expect(clone.string()).toBe("c");
    expect(snapshot.string()).toBe("b");
  });

  test("set switches paths and back, as a symlink walk does", () => {
    const stack = [new Cursor(), new Cursor()];
    const cursor = parse("/link/rest").begin.cursor();
    expect(cursor.equals("link")).toBe(true);
    cursor.advance();
    stack[0]?.set(cursor); // push what is left after the symlink
    cursor.set(parse("target/dir").begin);
    const walked: string[] = [];
    for (; cursor.ok(); cursor.advance()) walked.push(cursor.string());
    const saved = stack[0];
    if (saved === undefined) throw new Error("unreachable");
    cursor.set(saved); // pop
    for (; cursor.ok(); cursor.advance()) walked.push(cursor.string());
    expect(walked).toEqual(["target", "dir", "rest"]);
    expect(saved.string()).toBe("rest");
  });

  test("a cursor visits what the iterator visits, at the same offsets", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("/", "a", ".", "é"), maxLength: 30 }), (pathname) => {
        const cursor = parse(pathname).begin.cursor();
        for (let it = parse(pathname).begin; it.ok(); it = it.next()) {
          expect(cursor.ok()).toBe(true);
          expect([cursor.start, cursor.end, cursor.string()]).toEqual([it.start, it.end, it.string()]);
          expect(cursor.remainder()).toBe(it.remainder());
          expect(cursor.nextOk()).toBe(it.nextOk());
          expect(cursor.equals(it.string())).toBe(true);
          cursor.advance();
        }
        expect(cursor.ok()).toBe(false);
      }),
    );
  });
});
