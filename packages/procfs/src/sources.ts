// Small DynamicBytesSource builders shared by the procfs files.
import { PAGE_SIZE, SysError } from "@vfskit/abi";
import { decodeUTF8, type ByteSink, type Context, type DynamicBytesSource, type FileDescription, type WritableDynamicBytesSource } from "@vfskit/vfs";

/** A source printing `text(ctx)`. @internal */
export function textSource(text: (ctx: Context) => string): DynamicBytesSource {
  return {
    generate(ctx: Context, buf: ByteSink): void {
      buf.write(text(ctx));
    },
  };
}

/** A source printing `text(ctx)` that hands writes to `write`. @internal */
export function writableSource(
  text: (ctx: Context) => string,
  write: (ctx: Context, fd: FileDescription, src: Uint8Array, offset: number) => number,
): WritableDynamicBytesSource {
  return {
    generate(ctx: Context, buf: ByteSink): void {
      buf.write(text(ctx));
    },
    write,
  };
}

/** The bytes of a write as text. @internal */
export function decodeText(src: Uint8Array): string {
  return decodeUTF8(src);
}

/**
 * Parses an integer written to a sysctl or /proc knob as Linux's `proc_dointvec` /
 * `kstrtoint(…, 0, …)` do: surrounding whitespace allowed, an optional sign, decimal,
 * `0x` hex or leading-0 octal.
 * @throws EINVAL - not an integer, or outside [min, max].
 * @internal
 */
export function parseIntegerWrite(src: Uint8Array, min: number, max: number, offset: number): number {
  if (offset !== 0) throw new SysError("EINVAL", { syscall: "write", detail: "sysctl writes must start at offset 0" });
  if (src.length >= PAGE_SIZE) throw new SysError("EINVAL", { syscall: "write", detail: "write too long" });
  const text = decodeText(src).replace(/\0+$/, "").trim();
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (m === null) throw new SysError("EINVAL", { syscall: "write", detail: `not an integer: ${JSON.stringify(text)}` });
  const digits = m[2] ?? "0";
  let value = digits.startsWith("0x") || digits.startsWith("0X") ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith("0") ? parseInt(digits, 8) : parseInt(digits, 10);
  if (m[1] === "-") value = -value;
  if (!(value >= min && value <= max)) throw new SysError("EINVAL", { syscall: "write", detail: `${value} is out of range` });
  return value;
}
