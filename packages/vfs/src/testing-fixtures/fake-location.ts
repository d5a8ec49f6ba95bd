// Test-only fakes (excluded from the build): a counted mount and dentry, and a VFS whose
// metadata `*At` methods answer from a table, so FileDescription can be tested without a
// filesystem. Cast to the real types at the edge with `asMount` / `asDentry`.
import { SysError, type Statfs, type Statx } from "@vfskit/abi";
import type { Context } from "../context.js";
import type { Dentry } from "../dentry.js";
import type { Mount } from "../mount.js";
import type { GetXattrOptions, SetStatOptions, SetXattrOptions, StatOptions } from "../options.js";
import { RefCounted, trackObject, untrackObject } from "../refs.js";
import type { PathOperation } from "../vfs.js";
import { VirtualDentry } from "../virtual-dentry.js";

/** A Statx with every field zero except those given. */
export function makeStatx(fields: Partial<Statx> = {}): Statx {
  const zero = { sec: 0, nsec: 0 };
  return {
    mask: 0,
    blksize: 4096,
    attributes: 0,
    nlink: 1,
    uid: 0,
    gid: 0,
    mode: 0o100644,
    ino: 1,
    size: 0,
    blocks: 0,
    attributesMask: 0,
    atime: zero,
    btime: zero,
    ctime: zero,
    mtime: zero,
    rdevMajor: 0,
    rdevMinor: 0,
    devMajor: 0,
    devMinor: 0,
    mntId: 0,
    ...fields,
  };
}

/** One call the fake VFS received. */
export interface FakeVFSCall {
  readonly method: string;
  readonly pop: PathOperation;
  readonly arg: unknown;
}

/** The metadata half of VirtualFilesystem, answering for one file. */
export class FakeVFS {
  readonly calls: FakeVFSCall[] = [];
  stat: Statx = makeStatx({ mask: 0x7ff });
  statfs: Statfs = {
    type: 0x01021994,
    bsize: 4096,
    blocks: 0,
    bfree: 0,
    bavail: 0,
    files: 0,
    ffree: 0,
    fsid: [0, 0],
    namelen: 255,
    frsize: 4096,
    flags: 0,
  };
  xattrs = new Map<string, Uint8Array>();
  /** When set, listXattrAt throws this code. */
  listXattrError: "EOPNOTSUPP" | undefined;

  statAt(_ctx: Context, pop: PathOperation, opts: StatOptions): Statx {
    this.calls.push({ method: "statAt", pop, arg: opts });
    return { ...this.stat };
  }
  setStatAt(_ctx: Context, pop: PathOperation, opts: SetStatOptions): void {
    this.calls.push({ method: "setStatAt", pop, arg: opts });
  }
  statFSAt(_ctx: Context, pop: PathOperation): Statfs {
    this.calls.push({ method: "statFSAt", pop, arg: undefined });
    return { ...this.statfs };
  }
  listXattrAt(_ctx: Context, pop: PathOperation, size: number): string[] {
    this.calls.push({ method: "listXattrAt", pop, arg: size });
    if (this.listXattrError !== undefined) throw new SysError(this.listXattrError);
    return [...this.xattrs.keys()];
  }
  getXattrAt(_ctx: Context, pop: PathOperation, opts: GetXattrOptions): Uint8Array {
    this.calls.push({ method: "getXattrAt", pop, arg: opts });
    const value = this.xattrs.get(opts.name);
    if (value === undefined) throw new SysError("ENODATA");
    return value;
  }
  setXattrAt(_ctx: Context, pop: PathOperation, opts: SetXattrOptions): void {
    this.calls.push({ method: "setXattrAt", pop, arg: opts });
    this.xattrs.set(opts.name, opts.value);
  }
  removeXattrAt(_ctx: Context, pop: PathOperation, name: string): void {
    this.calls.push({ method: "removeXattrAt", pop, arg: name });
    if (!this.xattrs.delete(name)) throw new SysError("ENODATA");
  }
}

let nextMountID = 1000;

/** A counted stand-in for Mount with a writer count and a read-only switch. */
export class FakeMount extends RefCounted {
  readonly id = nextMountID++;
  readonly vfs = new FakeVFS();
  writers = 0;
  #readOnly: boolean;

  constructor(readOnly = false) {
    super("FakeMount");
    this.#readOnly = readOnly;
  }
  readOnly(): boolean {
    return this.#readOnly;
  }
  checkBeginWrite(): void {
    if (this.#readOnly) throw new SysError("EROFS");
    this.writers++;
  }
  endWrite(): void {
    if (this.writers <= 0) throw new Error("endWrite without checkBeginWrite");
    this.writers--;
  }
  decRef(_ctx: Context): void {
    this.dropRef();
  }
}

/** A counted stand-in for Dentry (custom counting, like filesystem dentries). */
export class FakeDentry {
  #refs = 1;
  constructor() {
    trackObject(this, "FakeDentry", () => this.#refs);
  }
  get refs(): number {
    return this.#refs;
  }
  incRef(): void {
    this.#refs++;
  }
  tryIncRef(): boolean {
    if (this.#refs <= 0) return false;
    this.#refs++;
    return true;
  }
  decRef(_ctx: Context): void {
    if (--this.#refs === 0) untrackObject(this);
    if (this.#refs < 0) throw new Error("FakeDentry decRef below zero");
  }
  isDead(): boolean {
    return false;
  }
}

/** A fake mount and dentry, and the VirtualDentry pairing them (which holds no references). */
export interface FakeLocation {
  readonly mount: FakeMount;
  readonly dentry: FakeDentry;
  readonly vd: VirtualDentry;
  /** Drops the creator's references on the dentry and the mount. */
  readonly release: (ctx: Context) => void;
}

/** Creates a fake location; call `release` at the end of the test. */
export function fakeLocation(opts: { readOnly?: boolean } = {}): FakeLocation {
  const mount = new FakeMount(opts.readOnly ?? false);
  const dentry = new FakeDentry();
  const vd = new VirtualDentry(mount as unknown as Mount, dentry as unknown as Dentry);
  return {
    mount,
    dentry,
    vd,
    release: (ctx: Context): void => {
      dentry.decRef(ctx);
      mount.decRef(ctx);
    },
  };
}
