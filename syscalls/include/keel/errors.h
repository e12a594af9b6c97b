/*
 * Keel error codes. Syscalls return a negative KEEL_E* value on failure
 * (so `long r = keel_...(); if (r < 0) ...`), zero or a count on success.
 */
#ifndef KEEL_ERRORS_H
#define KEEL_ERRORS_H

#define KEEL_OK 0
#define KEEL_EINVAL (-1)       /* an argument is malformed (bad flags, size 0 where not allowed) */
#define KEEL_EFAULT (-2)       /* a user pointer/length is not mapped with the needed rights */
#define KEEL_EBADHANDLE (-3)   /* handle not in the table, stale generation, or wrong type */
#define KEEL_ENOMEM (-4)       /* task memory limit reached or no free frames */
#define KEEL_EPEERCLOSED (-5)  /* the other end of a channel was closed or its task died */
#define KEEL_ETOOBIG (-6)      /* message larger than KEEL_MSG_MAX or than the receiver's buffer */
#define KEEL_EPERM (-7)        /* the task lacks the capability (device, attestation) */
#define KEEL_ENOSYS (-8)       /* unknown syscall number */
#define KEEL_EAGAIN (-9)       /* nothing ready (wait with zero timeout) */
#define KEEL_ETIMEDOUT (-10)   /* wait timed out */
#define KEEL_EBUSY (-11)       /* the end already has a call in flight / a reply owed */
#define KEEL_ENOTSUP (-12)     /* the platform does not provide this (e.g. attestation on native) */
#define KEEL_ENOENT (-13)      /* the thing asked for does not exist (keel_task_data: no data= entry) */

#define KEEL_ERR_COUNT 14

#endif
