// The shell's command-line grammar, a small subset of POSIX sh:
//
//   list      := pipeline ( ( ';' | '&&' | '||' ) pipeline )* [ ';' ]
//   pipeline  := command ( '|' command )*
//   command   := ( word | redirect )+
//   redirect  := [fd] ( '>' | '>>' | '<' ) word  |  [fd] '>&' fd
//
// Words take 'single quotes' (literal), "double quotes" (\" \\ \$ escapes, variables
// expand), backslash escapes, `$?`, `$NAME` and `${NAME}` (expanded when the command
// runs, so `false; echo $?` prints 1), `~` at the start of a word, and `#` comments.

/** A piece of a word: literal text, or a variable expanded when the command runs. */
export type WordPart = string | { readonly variable: string };

/** One word: its parts, concatenated after expansion. */
export interface Word {
  readonly parts: readonly WordPart[];
  /** The word has an unquoted `*`, `?` or `[`: it is a pattern for pathname expansion. */
  readonly glob?: boolean;
}

/** A redirection: `fd op target`. */
export interface Redirect {
  /** The descriptor redirected (0 for `<`, 1 for `>` unless a number precedes it). */
  readonly fd: number;
  /** `>` truncate, `>>` append, `<` read, `>&` duplicate. */
  readonly op: ">" | ">>" | "<" | ">&";
  /** The file (or, for `>&`, the descriptor number). */
  readonly target: Word;
}

/** A simple command: its words and redirections. */
export interface SimpleCommand {
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
}

/** Commands joined by `|`. */
export interface Pipeline {
  readonly commands: readonly SimpleCommand[];
}

/** A pipeline and how it is joined to the one before it. */
export interface ListItem {
  /** `;` (always run), `&&` (run after success), `||` (run after failure). */
  readonly connector: ";" | "&&" | "||";
  readonly pipeline: Pipeline;
}

/** A parse error, worded as bash words it. */
export class ParseError extends Error {
  override readonly name = "ParseError";
}

type Token =
  | { readonly kind: "word"; readonly word: Word }
  | { readonly kind: "op"; readonly op: string; readonly fd?: number };

const VARIABLE_START = /[A-Za-z_]/;
const VARIABLE_CHAR = /[A-Za-z0-9_]/;

/** Splits a line into words and operators. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i] as string;
    if (c === " " || c === "\t" || c === "\n") {
      i++;
      continue;
    }
    if (c === "#") break;
    // A redirection may start with a descriptor number: 2>, 2>>, 2>&1.
    const fdMatch = /^(\d)(?=>|<)/.exec(line.slice(i));
    if (fdMatch !== null) {
      const fd = Number(fdMatch[1]);
      i += 1;
      const op = readOperator(line, i);
      tokens.push({ kind: "op", op, fd });
      i += op.length;
      continue;
    }
    if (c === ";" || c === "|" || c === "&" || c === ">" || c === "<") {
      const op = readOperator(line, i);
      if (op === "&") throw new ParseError("syntax error near unexpected token `&' (background jobs are not supported)");
      tokens.push({ kind: "op", op });
      i += op.length;
      continue;
    }
    const [word, end] = readWord(line, i);
    tokens.push({ kind: "word", word });
    i = end;
  }
  return tokens;
}

function readOperator(line: string, i: number): string {
  for (const op of ["&&", "||", ">>", ">&", ";", "|", "&", ">", "<"]) {
    if (line.startsWith(op, i)) return op;
  }
  throw new ParseError(`syntax error near unexpected token \`${line[i] ?? "newline"}'`);
}

function isWordEnd(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === ";" || c === "|" || c === "&" || c === ">" || c === "<";
}

/** Reads one word starting at `start`; returns it and the index after it. */
function readWord(line: string, start: number): [Word, number] {
  const parts: WordPart[] = [];
  let text = "";
  let glob = false;
  const flush = (): void => {
    if (text !== "") parts.push(text);
    text = "";
  };
  let i = start;
  if (line[i] === "~" && (i + 1 === line.length || line[i + 1] === "/" || isWordEnd(line[i + 1] as string))) {
    parts.push({ variable: "HOME" });
    i++;
  }
  const readVariable = (): void => {
    // line[i] is '$'
    const next = line[i + 1];
    if (next === "?") {
      flush();
      parts.push({ variable: "?" });
      i += 2;
    } else if (next === "{") {
      const close = line.indexOf("}", i + 2);
      if (close < 0) throw new ParseError("bad substitution: missing `}'");
      flush();
      parts.push({ variable: line.slice(i + 2, close) });
      i = close + 1;
    } else if (next !== undefined && VARIABLE_START.test(next)) {
      let end = i + 2;
      while (end < line.length && VARIABLE_CHAR.test(line[end] as string)) end++;
      flush();
      parts.push({ variable: line.slice(i + 1, end) });
      i = end;
    } else {
      text += "$";
      i++;
    }
  };
  while (i < line.length) {
    const c = line[i] as string;
    if (isWordEnd(c)) break;
    if (c === "\\") {
      if (i + 1 < line.length) text += line[i + 1];
      i += 2;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new ParseError("unexpected EOF while looking for matching `''");
      text += line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new ParseError('unexpected EOF while looking for matching `"\'');
        const d = line[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) {
          text += line[i + 1];
          i += 2;
        } else if (d === "$") {
          readVariable();
        } else {
          text += d;
          i++;
        }
      }
      // An empty quoted string is still a word.
      if (text === "" && parts.length === 0) parts.push("");
    } else if (c === "$") {
      readVariable();
    } else {
      if (c === "*" || c === "?" || c === "[") glob = true;
      text += c;
      i++;
    }
  }
  flush();
  return [glob ? { parts, glob } : { parts }, i];
}

/**
 * Parses a command line.
 * @returns The pipelines in order; empty for a blank line or a comment.
 * @throws ParseError - A syntax error, worded as bash's.
 */
export function parse(line: string): ListItem[] {
  const tokens = tokenize(line);
  const items: ListItem[] = [];
  let connector: ListItem["connector"] = ";";
  let i = 0;
  const unexpected = (t: Token | undefined): ParseError =>
    new ParseError(`syntax error near unexpected token \`${t === undefined ? "newline" : t.kind === "op" ? t.op : "word"}'`);
  while (i < tokens.length) {
    const commands: SimpleCommand[] = [];
    for (;;) {
      const words: Word[] = [];
      const redirects: Redirect[] = [];
      for (;;) {
        const t = tokens[i];
        if (t === undefined) break;
        if (t.kind === "word") {
          words.push(t.word);
          i++;
          continue;
        }
        if (t.op === ">" || t.op === ">>" || t.op === "<" || t.op === ">&") {
          const target = tokens[i + 1];
          if (target === undefined || target.kind !== "word") throw unexpected(target);
          const fd = t.fd ?? (t.op === "<" ? 0 : 1);
          redirects.push({ fd, op: t.op, target: target.word });
          i += 2;
          continue;
        }
        break;
      }
      if (words.length === 0 && redirects.length === 0) throw unexpected(tokens[i]);
      commands.push({ words, redirects });
      const t = tokens[i];
      if (t !== undefined && t.kind === "op" && t.op === "|") {
        i++;
        continue;
      }
      break;
    }
    items.push({ connector, pipeline: { commands } });
    const t = tokens[i];
    if (t === undefined) break;
    if (t.kind === "op" && (t.op === ";" || t.op === "&&" || t.op === "||")) {
      connector = t.op;
      i++;
      if (i === tokens.length) {
        if (t.op === ";") break;
        throw unexpected(undefined);
      }
      continue;
    }
    throw unexpected(t);
  }
  return items;
}

/** Expands a word's variables with `lookup` (unset variables expand to nothing). */
export function expandWord(word: Word, lookup: (name: string) => string | undefined): string {
  let out = "";
  for (const part of word.parts) out += typeof part === "string" ? part : (lookup(part.variable) ?? "");
  return out;
}
