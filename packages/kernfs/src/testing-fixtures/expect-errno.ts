// Test-only (excluded from the build): the shared errno assertion from @vfskit/vfs/testing.
export { expectErrno } from "@vfskit/vfs/testing";
