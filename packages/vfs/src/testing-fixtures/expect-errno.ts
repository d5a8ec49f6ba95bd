// Test-only (excluded from the build): the shared errno assertion, re-exported for the
// package's own tests.
export { expectErrno } from "../testing/expect-errno.js";
