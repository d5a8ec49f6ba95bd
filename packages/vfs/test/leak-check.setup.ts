// Runs in every vfs test file (vitest setupFiles): each test must leave every counted
// object at the count it found it (DESIGN.md D3).
import { afterEach, beforeEach } from "vitest";
import { leakCheckHooks } from "../src/testing/index.js";

const leaks = leakCheckHooks();
beforeEach(() => leaks.before());
afterEach(() => leaks.after());
