/*
 * Locked until keyed: the root key opens the store on the device, or
 * formats a blank device. A device holding anything else (a foreign
 * image, a damaged one, one made with another key, one rolled back below
 * the minimum generation) is an error logged in one line and answered to
 * the key sender; storaged stays locked and never formats it.
 */
#include "storaged.h"
#include "storaged_client.h"

static int format_blank(struct storaged *sd, const uint8_t key[STORAGED_KEY_LEN],
                        uint64_t min_generation, char *why, size_t whylen)
{
	/* The key broker's counter says state existed: a blank device now
	 * means it was erased, and a fresh store would be a rollback. */
	if (min_generation > 0) {
		keel_logf(
		    "storaged: the state device is blank but the minimum generation is %llu: "
		    "refusing to format it (was the state erased?); staying locked",
		    (unsigned long long)min_generation);
		return STORAGED_EROLLBACK;
	}
	int rc = store_format(&sd->dev, key, 0, &sd->store, why, whylen);
	if (rc == STORAGED_OK)
		keel_logf("storaged: formatted the blank state device (%llu blocks)",
		             (unsigned long long)sd->dev.blocks);
	return rc;
}

int storaged_unlock(struct storaged *sd, const uint8_t key[STORAGED_KEY_LEN],
                    uint64_t min_generation)
{
	char why[160] = "";
	if (sd->store)
		return STORAGED_EPERM; /* already unlocked: the key is not asked twice */
	int rc = store_open(&sd->dev, key, min_generation, &sd->store, why, sizeof(why));
	if (rc == STORAGED_EBLANK)
		rc = format_blank(sd, key, min_generation, why, sizeof(why));
	if (rc != STORAGED_OK) {
		sd->store = NULL;
		if (rc != STORAGED_EROLLBACK || why[0])
			keel_logf(
			    "storaged: cannot open the state device: %s: %s; staying locked, "
			    "not formatting it",
			    storaged_strerror(rc), why[0] ? why : "(no detail)");
		return rc;
	}
	sd->flags |= STORAGED_F_UNLOCKED;
	keel_logf("storaged: unlocked: generation %llu",
	             (unsigned long long)store_generation(sd->store));
	return STORAGED_OK;
}

int storaged_boot_marker(struct storaged *sd, uint64_t boot)
{
	uint8_t be[8];
	struct store_txn *t = NULL;
	for (int i = 0; i < 8; i++)
		be[i] = (uint8_t)(boot >> (56 - 8 * i));
	int rc = store_txn_begin(sd->store, &t);
	if (rc == STORAGED_OK)
		rc = store_txn_put(t, STORAGED_BOOT_MARKER, be, sizeof(be));
	if (rc == STORAGED_OK)
		rc = store_txn_commit(t);
	else if (t)
		store_txn_abort(t);
	if (rc != STORAGED_OK)
		keel_logf("storaged: cannot commit the boot marker (boot %llu): %s",
		             (unsigned long long)boot, storaged_strerror(rc));
	return rc;
}
