import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Builder } from "./builder.js";

describe("Builder", () => {
  test.each<{ name: string; prepend: string[]; append?: string; want: string }>([
    { name: "components", prepend: ["foo", "bar", "baz"], want: "baz/bar/foo" },
    { name: "append", prepend: ["foo", "bar"], append: " (deleted)", want: "bar/foo (deleted)" },
    { name: "empty", prepend: [], want: "" },
    { name: "one component", prepend: ["foo"], want: "foo" },
    { name: "append only", prepend: [], append: " (deleted)", want: " (deleted)" },
  ])("$name", ({ prepend, append, want }) => {
    const builder = new Builder();
    for (const component of prepend) builder.prependComponent(component);
    if (append !== undefined) builder.appendString(append);
    expect(builder.toString()).toBe(want);
    expect(builder.length).toBe(want.length);
  });

  test("prependString adds raw text and keeps the separator rule", () => {
    const builder = new Builder();
    builder.prependComponent("foo");
    builder.prependString("[x]");
    builder.prependComponent("bar");
    builder.prependString("/");
    expect(builder.toString()).toBe("/bar/[x]foo");
  });

  test("prepending after appending keeps the suffix at the end", () => {
    const builder = new Builder();
    builder.prependComponent("foo");
    builder.appendString(" (deleted)");
    builder.prependComponent("bar");
    builder.prependString("/");
    expect(builder.toString()).toBe("/bar/foo (deleted)");
  });

  test("reset empties the builder and the separator rule", () => {
    const builder = new Builder();
    builder.prependComponent("foo");
    builder.appendString("!");
    builder.reset();
    expect(builder.toString()).toBe("");
    expect(builder.length).toBe(0);
    builder.prependComponent("bar");
    expect(builder.toString()).toBe("bar");
  });

  test("toString does not consume the builder", () => {
    const builder = new Builder();
    builder.prependComponent("a");
    expect(builder.toString()).toBe("a");
    builder.prependComponent("b");
    expect(builder.toString()).toBe("b/a");
  });

  test("building leaf to root equals joining root to leaf", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 12 }), (names) => {
        const builder = new Builder();
        for (let index = names.length - 1; index >= 0; index--) builder.prependComponent(names[index] ?? "");
        builder.prependString("/");
        expect(builder.toString()).toBe("/" + names.join("/"));
        expect(builder.length).toBe(1 + names.join("/").length);
      }),
    );
  });
});
