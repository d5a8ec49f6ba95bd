// The few signal numbers the filesystem stack reports (x86-64).

/** Broken pipe: a write to a pipe with no readers. @public */
export const SIGPIPE = 13;
/** File size limit exceeded. @public */
export const SIGXFSZ = 25;
/** Child stopped or terminated. @public */
export const SIGCHLD = 17;
/** Termination request. @public */
export const SIGTERM = 15;
/** Kill (cannot be caught). @public */
export const SIGKILL = 9;
