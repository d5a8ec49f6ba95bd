import { NAME_MAX, PAGE_SIZE, PROC_SUPER_MAGIC, TMPFS_MAGIC } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { genericParseMountOptions, genericParseMountOptionsOrdered, genericStatFS } from "./mount-options.js";

describe("genericParseMountOptions", () => {
  test.each([
    ["", []],
    ["a", [["a", ""]]],
    ["a=1,b,a=2", [["a", "2"], ["b", ""]]],
    ["mode=0755,size=1m,noswap", [["mode", "0755"], ["size", "1m"], ["noswap", ""]]],
    [",,a=1,,", [["a", "1"]]],
    ["a=b=c", [["a", "b=c"]]],
    ["a=", [["a", ""]]],
    ["=v", [["", "v"]]],
    ["__proto__=1,constructor", [["__proto__", "1"], ["constructor", ""]]],
  ])("%j", (data, entries) => {
    expect([...genericParseMountOptions(data)]).toEqual(entries);
  });
});

describe("genericParseMountOptionsOrdered", () => {
  test("keeps every item in order, duplicates included", () => {
    expect(genericParseMountOptionsOrdered("a=1,b,a=2,,c=x=y")).toEqual([
      { key: "a", value: "1" },
      { key: "b", value: "" },
      { key: "a", value: "2" },
      { key: "c", value: "x=y" },
    ]);
  });
  test("the empty string has no items", () => {
    expect(genericParseMountOptionsOrdered("")).toEqual([]);
    expect(genericParseMountOptionsOrdered(",")).toEqual([]);
  });
});

describe("genericStatFS", () => {
  test("is simple_statfs: magic, one-page blocks, 255-byte names, zero counts", () => {
    expect(genericStatFS(TMPFS_MAGIC)).toEqual({
      type: TMPFS_MAGIC,
      bsize: PAGE_SIZE,
      blocks: 0,
      bfree: 0,
      bavail: 0,
      files: 0,
      ffree: 0,
      fsid: [0, 0],
      namelen: NAME_MAX,
      frsize: PAGE_SIZE,
      flags: 0,
    });
  });
  test("takes overrides", () => {
    const statfs = genericStatFS(PROC_SUPER_MAGIC, { files: 10, ffree: 5 });
    expect(statfs).toMatchObject({ type: PROC_SUPER_MAGIC, files: 10, ffree: 5, bsize: PAGE_SIZE });
  });
});
