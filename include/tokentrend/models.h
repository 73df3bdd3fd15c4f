/*
 * models.h - the model catalog: which sellers' names denote the same model,
 * and the capability groups a model belongs to.
 *
 * The catalog is a hand-curated text file (db/models.conf, compiled into the
 * binary; its format is documented at the top of that file and in the
 * README).  A user file ($XDG_CONFIG_HOME/tokentrend/models.conf, or one
 * named with --models FILE) is read after it and may add models, add names,
 * move a name to another model, and add or redefine groups.
 *
 * Lookups are exact: (provider, the seller's model id as published) ->
 * canonical id.  A name the catalog does not list has no canonical id and is
 * kept as published; nothing is ever guessed (no case folding, no prefix or
 * fuzzy matching).
 */
#ifndef TT_MODELS_H
#define TT_MODELS_H

#include <stddef.h>

#include "tokentrend/err.h"

/* One model: a canonical id such as "claude-3.5-sonnet". */
struct models_model {
	char *id;        /* owned */
	char *vendor;    /* the maker, who sells it first-hand: the provider of the
			  * model's first `name` line (owned), or NULL before one */
	char *origin;    /* file it was declared in (owned) */
	int line;        /* line of its `model` directive */
	size_t file;     /* 0: the built-in file, 1: the user's file... */
};

/* One seller's name for a model. */
struct models_name {
	char *provider;  /* who sells it, as stored: "openai", "bedrock", "openrouter" (owned) */
	char *name;      /* the seller's model id, as published (owned) */
	size_t model;    /* index into models.v */
	char *origin;    /* file of the `name` directive (owned) */
	int line;
	size_t file;
};

/* A capability group: canonical ids of its members. */
struct models_group {
	char *name;      /* "gpt-4-class" (owned) */
	char *about;     /* the one-line description after the name, or "" (owned) */
	char **members;  /* canonical ids (owned), each a declared model */
	int *member_lines; /* line of each member's `member` directive */
	size_t n_members, alloc;
	char *origin;    /* file of the `group` directive that set the members (owned) */
	int line;
	size_t file;
};

struct models {
	struct models_model *v;
	size_t n, alloc;
	struct models_name *names;   /* sorted by (provider, name) after each parse */
	size_t n_names, names_alloc;
	struct models_group *groups; /* in declaration order */
	size_t n_groups, groups_alloc;
	size_t n_files;              /* files parsed so far */
};

#define MODELS_INIT { NULL, 0, 0, NULL, 0, 0, NULL, 0, 0, 0 }

/* The compiled-in db/models.conf: *len bytes (not NUL-counted).  Static storage. */
const char *models_builtin_text(size_t *len);

/*
 * Parse one catalog file's text into m.  origin names the file in errors
 * ("db/models.conf", a path).  The first file parsed is the base; a later
 * file (the user's override) may:
 *   - declare `model ID` for an existing id: its `name` lines add names;
 *   - give a (provider, name) already mapped: the name moves to this model;
 *   - declare `group NAME` for an existing group: its members REPLACE the
 *     old ones (list them all), and a new description replaces the old.
 * Within one file a repeated model, name or group is an error.
 * Errors (TT_EPARSE) read "ORIGIN:LINE: <what is wrong> ('<text>')": an
 * unknown directive, a `name` outside a model block, a `member` outside a
 * group block, a bad id, a group member that no file declares.  On error m
 * may hold part of the file: release it.  Returns 0, TT_EPARSE, TT_ENOMEM.
 */
int models_parse(struct models *m, const char *text, size_t len, const char *origin,
		 struct tt_error *err);

/*
 * Load the catalog: the compiled-in file, then the user's file: path when
 * not NULL (it must exist: TT_EIO otherwise), else
 * $XDG_CONFIG_HOME/tokentrend/models.conf (or ~/.config/tokentrend/
 * models.conf) when that file exists.  m must be MODELS_INIT; release it
 * with models_release() on every path.  Returns 0 or a parse/IO error.
 */
int models_load(struct models *m, const char *path, struct tt_error *err);

/* Free everything; m is left MODELS_INIT.  NULL is a no-op. */
void models_release(struct models *m);

/*
 * Canonical id of the seller's name, or NULL when the catalog does not list
 * (provider, name) exactly.  The returned string belongs to m.
 */
const char *models_lookup(const struct models *m, const char *provider, const char *name);

/*
 * Canonical id of the seller's name when the catalog lists it, else name
 * itself as published (never guessed).  NULL name -> NULL.
 */
const char *models_canonical(const struct models *m, const char *provider, const char *name);

/* The maker of canonical model `id` (its first `name` line's provider), or NULL. */
const char *models_vendor(const struct models *m, const char *id);

/* The model with canonical id `id`, or NULL. */
const struct models_model *models_find(const struct models *m, const char *id);

/* Index of the model with canonical id `id` in m->v, or (size_t)-1. */
size_t models_index(const struct models *m, const char *id);

/*
 * Resolve what a user typed as a model: a canonical id, or else a seller's
 * name that maps to exactly one canonical id under any provider.  Returns
 * the canonical id (owned by m); NULL when unknown or ambiguous, with err
 * saying which (ambiguous: the canonical ids it could be).
 */
const char *models_resolve(const struct models *m, const char *text, struct tt_error *err);

/* The group named `name`, or NULL. */
const struct models_group *models_group_find(const struct models *m, const char *name);

/*
 * Groups that list canonical id `id`: up to max pointers into *out, in
 * declaration order.  Returns how many groups list it (may exceed max).
 */
size_t models_groups_of(const struct models *m, const char *id, const struct models_group **out,
			size_t max);

/* 1 when group g lists canonical id `id`, else 0. */
int models_group_has(const struct models_group *g, const char *id);

#endif /* TT_MODELS_H */
