// @ts-check
// Every case file, in the order the report prints them. Add new areas here.
import { cases as fspathCases } from "./fspath.js";

/** @type {readonly import("../registry.js").Case[]} */
export const allCases = [...fspathCases];
