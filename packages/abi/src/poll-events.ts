// Readiness event bits shared by poll(2) and epoll(7) (include/uapi/linux/eventpoll.h).

/** Data to read. @public */
export const EPOLLIN = 0x001;
/** Urgent data / exceptional condition (also signals a changed /proc mounts file). @public */
export const EPOLLPRI = 0x002;
/** Writing will not block. @public */
export const EPOLLOUT = 0x004;
/** Error condition (a pipe's write end with no readers). @public */
export const EPOLLERR = 0x008;
/** Hang up (a pipe's read end whose writers are all gone). @public */
export const EPOLLHUP = 0x010;
/** Normal data to read. @public */
export const EPOLLRDNORM = 0x040;
/** Priority band data to read. @public */
export const EPOLLRDBAND = 0x080;
/** Normal data may be written. @public */
export const EPOLLWRNORM = 0x100;
/** Priority data may be written. @public */
export const EPOLLWRBAND = 0x200;
/** The peer shut down its writing half. @public */
export const EPOLLRDHUP = 0x2000;
/** Readable: EPOLLIN | EPOLLRDNORM. @public */
export const READABLE_EVENTS = EPOLLIN | EPOLLRDNORM;
/** Writable: EPOLLOUT | EPOLLWRNORM. @public */
export const WRITABLE_EVENTS = EPOLLOUT | EPOLLWRNORM;
