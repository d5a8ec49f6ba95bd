import { describe, expect, it } from "vitest";
import { ParseError, expandWord, parse, type ListItem } from "./parser.js";

/** The pipelines of `line` as plain argv arrays, variables shown as $NAME. */
function shape(items: ListItem[]): unknown[] {
  const show = (w: Parameters<typeof expandWord>[0]): string => expandWord(w, (name) => `$${name}`);
  return items.map((item) => ({
    connector: item.connector,
    commands: item.pipeline.commands.map((c) => ({
      argv: c.words.map(show),
      ...(c.redirects.length > 0 ? { redirects: c.redirects.map((r) => `${r.fd}${r.op}${show(r.target)}`) } : {}),
    })),
  }));
}

describe("parse", () => {
  it.each<[string, unknown[]]>([
    ["", []],
    ["   # only a comment", []],
    ["ls -l /proc", [{ connector: ";", commands: [{ argv: ["ls", "-l", "/proc"] }] }]],
    [
      "echo hi > /tmp/x && cat /tmp/x",
      [
        { connector: ";", commands: [{ argv: ["echo", "hi"], redirects: ["1>/tmp/x"] }] },
        { connector: "&&", commands: [{ argv: ["cat", "/tmp/x"] }] },
      ],
    ],
    ["a | b | c", [{ connector: ";", commands: [{ argv: ["a"] }, { argv: ["b"] }, { argv: ["c"] }] }]],
    [
      "false || echo $? ; x 2>&1 >>log <in",
      [
        { connector: ";", commands: [{ argv: ["false"] }] },
        { connector: "||", commands: [{ argv: ["echo", "$?"] }] },
        { connector: ";", commands: [{ argv: ["x"], redirects: ["2>&1", "1>>log", "0<in"] }] },
      ],
    ],
    [`echo 'a  b' "c \\"d\\" $USER" e\\ f ~ ~/x '$HOME'`, [{ connector: ";", commands: [{ argv: ["echo", "a  b", 'c "d" $USER', "e f", "$HOME", "$HOME/x", "$HOME"] }] }]],
    [`echo "" ''`, [{ connector: ";", commands: [{ argv: ["echo", "", ""] }] }]],
    ["echo a;", [{ connector: ";", commands: [{ argv: ["echo", "a"] }] }]],
  ])("%j", (line, expected) => {
    expect(shape(parse(line))).toEqual(expected);
  });

  it("marks unquoted globs only", () => {
    const [item] = parse(`ls /proc/*/comm '*' "?"`);
    expect(item?.pipeline.commands[0]?.words.map((w) => w.glob === true)).toEqual([false, true, false, false]);
  });

  it.each([
    ["echo 'open", "unexpected EOF while looking for matching `''"],
    ["| a", "syntax error near unexpected token `|'"],
    ["a &&", "syntax error near unexpected token `newline'"],
    ["a >", "syntax error near unexpected token `newline'"],
    ["a & b", "syntax error near unexpected token `&' (background jobs are not supported)"],
  ])("%j is a syntax error", (line, message) => {
    expect(() => parse(line)).toThrow(ParseError);
    expect(() => parse(line)).toThrow(message);
  });
});
