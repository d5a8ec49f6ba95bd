/**
 * Placeholder while the package is built.
 *
 * @packageDocumentation
 */
export { version } from "./version.js";
