/*
 * tt_db.h - reading a test database back: one number, or a content hash of
 * a query's rows (to compare two databases, or one before and after).
 */
#ifndef TT_DB_H
#define TT_DB_H

#include <openssl/evp.h>
#include <sqlite3.h>
#include <string.h>

#include "tokentrend/store.h"

/* The first column of the first row of sql as an integer; -1 without a row. */
static inline int64_t tt_db_count(struct store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* SHA-256 (hex) of the rows of sql, one line per row, '|' between columns. */
static inline void tt_db_hash(struct store *st, const char *sql, char hex[65])
{
	sqlite3_stmt *s = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[32];
	unsigned int dl = 0, i;
	int c, n;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	while (sqlite3_step(s) == SQLITE_ROW) {
		n = sqlite3_column_count(s);
		for (c = 0; c < n; c++) {
			const unsigned char *t = sqlite3_column_text(s, c);
			EVP_DigestUpdate(md, t ? (const char *)t : "\\N", t ? strlen((const char *)t) : 2);
			EVP_DigestUpdate(md, "|", 1);
		}
		EVP_DigestUpdate(md, "\n", 1);
	}
	sqlite3_finalize(s);
	EVP_DigestFinal_ex(md, d, &dl);
	EVP_MD_CTX_free(md);
	for (i = 0; i < dl; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

#endif /* TT_DB_H */
