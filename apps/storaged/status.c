/* The English names of enum storaged_status, for clients' and storaged's log lines. */
#include "storaged_client.h"

const char *storaged_strerror(int status)
{
	switch (status) {
	case STORAGED_OK:
		return "ok";
	case STORAGED_ABSENT:
		return "no such object";
	case STORAGED_EINVAL:
		return "invalid request";
	case STORAGED_ELOCKED:
		return "locked (no key yet)";
	case STORAGED_EPERM:
		return "not allowed on this channel";
	case STORAGED_EIO:
		return "block device error";
	case STORAGED_ENOSPC:
		return "state device full";
	case STORAGED_ETOOBIG:
		return "too big";
	case STORAGED_ENOMEM:
		return "out of memory";
	case STORAGED_ECORRUPT:
		return "integrity failure";
	case STORAGED_EKEY:
		return "wrong key";
	case STORAGED_EROLLBACK:
		return "rollback (generation below the minimum)";
	case STORAGED_EFOREIGN:
		return "not a Keel store";
	case STORAGED_EBLANK:
		return "blank device";
	case STORAGED_ENODEV:
		return "no block device";
	default:
		return "unknown status";
	}
}
