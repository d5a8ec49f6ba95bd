/**
 * Test helpers for kernfs and the filesystems built on it (procfs, sysfs, pipefs):
 * {@link createTestSystem} mounts a kernfs filesystem in a fresh VFS, and a few
 * ready-made inodes build test trees.
 *
 * @packageDocumentation
 */
export {
  createTestSystem,
  type TestSystem,
  type TestSystemOptions,
  type TestPathOptions,
  type RootInodeFn,
} from "./test-system.js";
export {
  newTestFile,
  newReadonlyDir,
  TestFile,
  TestFileData,
  TestDirectory,
  TestNode,
  type TestDirectoryOptions,
} from "./test-inodes.js";
