// @ts-check
// Every case file, in the order the report prints them. Add new areas here.
import { cases as fspathCases } from "./fspath.js";
import { cases as pipeCases } from "./pipe.js";
import { cases as procfsCases } from "./procfs.js";
import { cases as tmpfsCases } from "./tmpfs.js";
import { cases as tmpfsTreeCases } from "./tmpfs-tree.js";
import { cases as vfsCases } from "./vfs.js";

/** @type {readonly import("../registry.js").Case[]} */
export const allCases = [...fspathCases, ...vfsCases, ...tmpfsCases, ...tmpfsTreeCases, ...pipeCases, ...procfsCases];
