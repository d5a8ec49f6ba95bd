// dev_t encoding (glibc's makedev/major/minor, which is what stat(2) reports on x86-64).

/**
 * Combines a major and minor number into a dev_t, exactly as glibc's `makedev` does.
 * @remarks Exact while the result is below 2^53 (every major below 2^21).
 * @public
 */
export function makedev(major: number, minor: number): number {
  const ma = BigInt(major >>> 0);
  const mi = BigInt(minor >>> 0);
  const dev = ((ma & 0xfffn) << 8n) | ((ma & 0xfffff000n) << 32n) | (mi & 0xffn) | ((mi & 0xffffff00n) << 12n);
  return Number(dev);
}

/**
 * The major number of a dev_t (glibc `major`).
 * @public
 */
export function major(dev: number): number {
  const d = BigInt(dev);
  return Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & 0xfffff000n));
}

/**
 * The minor number of a dev_t (glibc `minor`).
 * @public
 */
export function minor(dev: number): number {
  const d = BigInt(dev);
  return Number((d & 0xffn) | ((d >> 12n) & 0xffffff00n));
}

/** The major number of anonymous (unnamed) devices used by virtual filesystems. @public */
export const UNNAMED_MAJOR = 0;
/** The major number of memory devices (/dev/null is 1:3, /dev/zero 1:5). @public */
export const MEM_MAJOR = 1;
