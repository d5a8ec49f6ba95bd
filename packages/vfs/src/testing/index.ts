/**
 * Test helpers for vfskit and the filesystems built on it: the reference leak checker
 * (DESIGN.md D3) and a minimal in-memory filesystem to drive the VFS.
 *
 * @packageDocumentation
 */
export { expectErrno, expectErrnoAsync } from "./expect-errno.js";
export {
  leakSnapshot,
  findLeaks,
  assertNoLeaks,
  leakCheckHooks,
  type LeakSnapshot,
  type Leak,
} from "./leak-check.js";
export {
  createTestVfs,
  type TestVfs,
  type TestVfsOptions,
  type PopOptions,
} from "./harness.js";
export { TestFilesystemType, TestFilesystem } from "./test-filesystem.js";
export { TestDentry, TestInode } from "./testfs-node.js";
