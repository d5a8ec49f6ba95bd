// @ts-check
// Text formatting for the report: units, ratios, fixed-width rows.

/**
 * Formats nanoseconds with a readable unit (ns, µs, ms, s) and three significant digits.
 *
 * @param {number} nanoseconds - A duration.
 * @returns {string} For example "412 ns", "4.35 µs", "6.35 ms".
 */
export function formatDuration(nanoseconds) {
  const units = /** @type {const} */ ([
    [1e9, "s"],
    [1e6, "ms"],
    [1e3, "µs"],
  ]);
  for (const [scale, unit] of units) {
    if (nanoseconds >= scale) return `${significant(nanoseconds / scale)} ${unit}`;
  }
  return `${significant(nanoseconds)} ns`;
}

/**
 * Formats a byte count (B, KiB, MiB) with three significant digits.
 *
 * @param {number} bytes - A byte count (may be negative when the heap shrank).
 * @returns {string} For example "1.41 KiB".
 */
export function formatBytes(bytes) {
  const magnitude = Math.abs(bytes);
  if (magnitude >= 2 ** 20) return `${significant(bytes / 2 ** 20)} MiB`;
  if (magnitude >= 2 ** 10) return `${significant(bytes / 2 ** 10)} KiB`;
  return `${Math.round(bytes)} B`;
}

/**
 * Formats throughput from bytes per operation and nanoseconds per operation.
 *
 * @param {number} bytesPerOp - Bytes moved by one operation.
 * @param {number} nanoseconds - Time of one operation.
 * @returns {string} For example "4,705 MiB/s".
 */
export function formatThroughput(bytesPerOp, nanoseconds) {
  const mibPerSecond = bytesPerOp / 2 ** 20 / (nanoseconds / 1e9);
  return `${Math.round(mibPerSecond).toLocaleString("en-US")} MiB/s`;
}

/**
 * Describes a peer's cost relative to vfskit's.
 *
 * @param {number} peer - The peer's time or bytes.
 * @param {number} vfskit - vfskit's time or bytes.
 * @param {"time" | "memory"} kind - Slower/faster or more/less.
 * @returns {string} For example "3.20× slower", "1.25× faster", "≈ same".
 */
export function formatRatio(peer, vfskit, kind) {
  if (!(vfskit > 0) || !(peer > 0)) return "";
  const ratio = peer / vfskit;
  const [worse, better] = kind === "time" ? ["slower", "faster"] : ["more", "less"];
  if (ratio >= 0.995 && ratio < 1.005) return "≈ same";
  return ratio > 1 ? `${significant(ratio)}× ${worse}` : `${significant(1 / ratio)}× ${better}`;
}

/**
 * @param {number} value - Any positive number.
 * @returns {string} Three significant digits, without exponent notation.
 */
function significant(value) {
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Pads cells to column widths; the first two columns are left-aligned, the rest right.
 *
 * @param {readonly string[]} cells - The row.
 * @param {readonly number[]} widths - One width per cell.
 * @returns {string} The row as one line.
 */
export function formatRow(cells, widths) {
  return cells
    .map((cell, index) => {
      const width = widths[index] ?? 0;
      return index < 2 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join("  ")
    .trimEnd();
}
