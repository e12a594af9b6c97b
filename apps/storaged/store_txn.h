/* A transaction's staged operations (store_txn.c), read by the commit (store_commit.c). */
#ifndef STORE_TXN_H
#define STORE_TXN_H

#include "store_int.h"

#define STORE_TXN_MAX_OPS 1024u

struct store_op {
	char name[STORE_NAME_MAX];
	uint8_t *data;
	size_t len;
	int del;
};

struct store_txn {
	struct store *s;
	struct store_op *ops;
	uint32_t nops, cap;
	size_t bytes;
};

#endif
