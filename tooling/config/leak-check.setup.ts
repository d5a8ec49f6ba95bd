// Runs in every test file of packages built on @vfskit/vfs (vitest setupFiles, enabled with
// `vfskitVitestConfig({ leakCheck: true })`): each test must leave every counted object at
// the count it found it (DESIGN.md D3).
import { afterEach, beforeEach } from "vitest";
import { leakCheckHooks } from "@vfskit/vfs/testing";

const leaks = leakCheckHooks();
beforeEach(leaks.before);
afterEach(leaks.after);
