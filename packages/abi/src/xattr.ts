// Extended attribute constants (include/uapi/linux/xattr.h, include/uapi/linux/limits.h).

/** setxattr: fail with EEXIST if the attribute exists. @public */
export const XATTR_CREATE = 0x1;
/** setxattr: fail with ENODATA if the attribute does not exist. @public */
export const XATTR_REPLACE = 0x2;
/** Longest attribute name in bytes. @public */
export const XATTR_NAME_MAX = 255;
/** Largest attribute value in bytes. @public */
export const XATTR_SIZE_MAX = 65536;
/** Largest attribute-name list in bytes. @public */
export const XATTR_LIST_MAX = 65536;
/** The `user.` namespace prefix. @public */
export const XATTR_USER_PREFIX = "user.";
/** The `trusted.` namespace prefix. @public */
export const XATTR_TRUSTED_PREFIX = "trusted.";
/** The `security.` namespace prefix. @public */
export const XATTR_SECURITY_PREFIX = "security.";
/** The `system.` namespace prefix. @public */
export const XATTR_SYSTEM_PREFIX = "system.";
