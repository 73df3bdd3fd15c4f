/*
 * store_int.h - internals shared by store.c, query.c and the generated
 * migrations table (scripts/embed-sql.cmake).  Not a public API.
 */
#ifndef TT_STORE_INT_H
#define TT_STORE_INT_H

#include <stddef.h>

struct store_migration {
	int version;      /* NNNN from db/migrations/NNNN_name.sql */
	const char *name; /* file name without .sql */
	const char *sql;  /* the whole file */
};

extern const struct store_migration store_migrations[];
extern const size_t store_migration_count;
extern const char store_schema_sql[]; /* db/schema.sql: the schema after all migrations */

#endif /* TT_STORE_INT_H */
