/*
 * usersrc.c - reading user-defined sources from a configuration file and
 * keeping them for the catalog (format in usersrc.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/usersrc.h"

#include "tokentrend/buf.h"
#include "tokentrend/textnorm.h"

/* The loaded sources (the catalog's user part). */
static struct usersrc *loaded;
static size_t nloaded;

static const char *const token_dimensions[] = {
	"input", "output", "cache_read", "cache_write", "cache_write_1h", "reasoning",
};

static void usersrc_release(struct usersrc *u)
{
	size_t i;

	free(u->id);
	free(u->name);
	free(u->url);
	free(u->provider);
	free(u->currency);
	free(u->locale);
	free(u->table);
	free(u->table_header);
	free(u->rows);
	free(u->anchor);
	free(u->items);
	free(u->model);
	for (i = 0; i < u->nrules; i++) {
		free(u->rules[i].dimension);
		free(u->rules[i].tier);
		free(u->rules[i].rule);
	}
	free(u->rules);
	for (i = 0; u->anchors && u->anchors[i]; i++)
		free(u->anchors[i]);
	free(u->anchors);
	free(u->file);
	memset(u, 0, sizeof(*u));
}

static void set_release(struct usersrc *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		usersrc_release(&v[i]);
	free(v);
}

void usersrc_clear(void)
{
	set_release(loaded, nloaded);
	loaded = NULL;
	nloaded = 0;
}

size_t usersrc_count(void)
{
	return nloaded;
}

const struct usersrc *usersrc_at(size_t i)
{
	return i < nloaded ? &loaded[i] : NULL;
}

const struct usersrc *usersrc_find(const char *id)
{
	size_t i;

	for (i = 0; id && i < nloaded; i++)
		if (!strcmp(loaded[i].id, id))
			return &loaded[i];
	return NULL;
}

/* Trim ASCII blanks in place; returns s. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int valid_id(const char *id)
{
	const char *p;

	if (!*id || strlen(id) > 32)
		return 0;
	for (p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

static int is_dimension(const char *d)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(token_dimensions); i++)
		if (!strcmp(d, token_dimensions[i]))
			return 1;
	return 0;
}

/* Set *slot to a copy of v; a key given twice is a mistake. */
static int set_once(char **slot, const char *v, const char *where, int line, const char *key,
		    struct tt_error *err)
{
	if (*slot)
		return tt_set_error(err, TT_EINVAL, "%s:%d: '%s' is given twice", where, line, key);
	*slot = strdup(v);
	return *slot ? 0 : tt_set_error(err, TT_ENOMEM, "out of memory");
}

static int add_rule(struct usersrc *u, const char *key, const char *v, const char *where, int line,
		    struct tt_error *err)
{
	char dim[48], tier[32] = "standard";
	const char *slash = strchr(key, '/');
	struct usersrc_rule *nv;
	size_t i;

	if (slash) {
		snprintf(dim, sizeof(dim), "%.*s", (int)(slash - key), key);
		snprintf(tier, sizeof(tier), "%s", slash + 1);
		if (!valid_id(tier))
			return tt_set_error(err, TT_EINVAL, "%s:%d: tier '%s' (in '%s') is not a lowercase word",
					    where, line, slash + 1, key);
	} else {
		snprintf(dim, sizeof(dim), "%s", key);
	}
	if (!is_dimension(dim))
		return TT_ENOTFOUND;
	for (i = 0; i < u->nrules; i++)
		if (!strcmp(u->rules[i].dimension, dim) && !strcmp(u->rules[i].tier, tier))
			return tt_set_error(err, TT_EINVAL, "%s:%d: '%s' is given twice", where, line, key);
	nv = realloc(u->rules, (u->nrules + 1) * sizeof(*nv));
	if (!nv)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	u->rules = nv;
	nv[u->nrules].dimension = strdup(dim);
	nv[u->nrules].tier = strdup(tier);
	nv[u->nrules].rule = strdup(v);
	u->nrules++;
	if (!nv[u->nrules - 1].dimension || !nv[u->nrules - 1].tier || !nv[u->nrules - 1].rule)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	return 0;
}

static int set_anchors(struct usersrc *u, const char *v, const char *where, int line,
		       struct tt_error *err)
{
	char *copy = strdup(v), *p, *next;
	size_t n = 0;
	int rc = 0;

	if (!copy)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	if (u->anchors) {
		rc = tt_set_error(err, TT_EINVAL, "%s:%d: 'anchor_models' is given twice", where, line);
		goto out;
	}
	for (p = copy; p; p = next) {
		char **nv;
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		p = trim(p);
		if (!*p)
			continue;
		nv = realloc(u->anchors, (n + 2) * sizeof(*nv));
		if (!nv) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
		u->anchors = nv;
		nv[n] = strdup(p);
		nv[n + 1] = NULL;
		if (!nv[n++]) {
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	free(copy);
	return rc;
}

/* One `key = value` line of section u. */
static int set_key(struct usersrc *u, const char *key, const char *v, const char *where, int line,
		   struct tt_error *err)
{
	static const struct {
		const char *key;
		size_t off;
	} strs[] = {
		{ "name", offsetof(struct usersrc, name) },
		{ "url", offsetof(struct usersrc, url) },
		{ "provider", offsetof(struct usersrc, provider) },
		{ "currency", offsetof(struct usersrc, currency) },
		{ "locale", offsetof(struct usersrc, locale) },
		{ "table", offsetof(struct usersrc, table) },
		{ "table_header", offsetof(struct usersrc, table_header) },
		{ "rows", offsetof(struct usersrc, rows) },
		{ "anchor", offsetof(struct usersrc, anchor) },
		{ "items", offsetof(struct usersrc, items) },
		{ "model", offsetof(struct usersrc, model) },
	};
	size_t i;
	int rc;

	if (!*v)
		return tt_set_error(err, TT_EINVAL, "%s:%d: '%s' has no value", where, line, key);
	for (i = 0; i < TT_ARRAY_SIZE(strs); i++)
		if (!strcmp(key, strs[i].key))
			return set_once((char **)((char *)u + strs[i].off), v, where, line, key, err);
	if (!strcmp(key, "format")) {
		if (!strcmp(v, "html"))
			u->def.format = SOURCE_HTML;
		else if (!strcmp(v, "json"))
			u->def.format = SOURCE_JSON;
		else
			return tt_set_error(err, TT_EINVAL, "%s:%d: format '%s': html or json", where, line, v);
		if (u->format_set)
			return tt_set_error(err, TT_EINVAL, "%s:%d: 'format' is given twice", where, line);
		u->format_set = 1;
		return 0;
	}
	if (!strcmp(key, "unit")) {
		u->unit = money_unit_from_text(v);
		if (u->unit == MONEY_UNIT_UNKNOWN)
			return tt_set_error(err, TT_EINVAL,
					    "%s:%d: unit '%s' is not a token unit (per token, 1K tokens, 1M tokens)",
					    where, line, v);
		return 0;
	}
	if (!strcmp(key, "min_models")) {
		char *end = NULL;
		long n;
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || !end || *end || n < 0 || n > 100000)
			return tt_set_error(err, TT_EINVAL, "%s:%d: min_models '%s' is not a count", where, line, v);
		u->def.min_models = (size_t)n;
		return 0;
	}
	if (!strcmp(key, "anchor_models"))
		return set_anchors(u, v, where, line, err);
	rc = add_rule(u, key, v, where, line, err);
	if (rc == TT_ENOTFOUND)
		return tt_set_error(err, TT_EINVAL, "%s:%d: unknown key '%s' (a price rule is one of input, "
				    "output, cache_read, cache_write, cache_write_1h, reasoning, optionally "
				    "followed by /TIER)", where, line, key);
	return rc;
}

/* Check a finished section and fill its catalog entry. */
static int finish(struct usersrc *u, const struct usersrc *done, size_t ndone, const char *where,
		  struct tt_error *err)
{
	const struct source_def *known = catalog_find(u->id);
	int line = u->line, modes;
	size_t i;

	for (i = 0; i < ndone; i++)
		if (!strcmp(done[i].id, u->id))
			return tt_set_error(err, TT_EINVAL, "%s:%d: source '%s' is defined twice", where, line,
					    u->id);
	if (known && !catalog_is_user(known))
		return tt_set_error(err, TT_EINVAL, "%s:%d: '%s' is a built-in source id; choose another",
				    where, line, u->id);
	if (!u->format_set)
		return tt_set_error(err, TT_EINVAL, "%s:%d: source '%s' has no 'format' (html or json)", where,
				    line, u->id);
	if (!money_currency_code(u->currency))
		return tt_set_error(err, TT_EINVAL, "%s:%d: source '%s' needs 'currency' as an ISO code (USD, EUR, CNY)",
				    where, line, u->id);
	if (u->unit == MONEY_UNIT_UNKNOWN)
		return tt_set_error(err, TT_EINVAL, "%s:%d: source '%s' needs 'unit' (per token, 1K tokens or 1M tokens)",
				    where, line, u->id);
	if (!u->model)
		return tt_set_error(err, TT_EINVAL, "%s:%d: source '%s' needs a 'model' rule", where, line, u->id);
	if (u->nrules == 0)
		return tt_set_error(err, TT_EINVAL, "%s:%d: source '%s' has no price rule (input = ..., output = ...)",
				    where, line, u->id);
	if (u->def.format == SOURCE_HTML) {
		modes = !!u->table + !!u->table_header + !!u->rows;
		if (modes != 1)
			return tt_set_error(err, TT_EINVAL,
					    "%s:%d: html source '%s' needs exactly one of 'table', 'table_header' or 'rows'",
					    where, line, u->id);
		if (u->items)
			return tt_set_error(err, TT_EINVAL, "%s:%d: 'items' is for json sources", where, line);
		if (u->anchor && !u->rows)
			return tt_set_error(err, TT_EINVAL, "%s:%d: 'anchor' goes with 'rows' (a 'table' rule is its own anchor)",
					    where, line);
	} else {
		if (!u->items)
			return tt_set_error(err, TT_EINVAL, "%s:%d: json source '%s' needs 'items' (a dot path, '.' for the root)",
					    where, line, u->id);
		if (u->table || u->table_header || u->rows || u->anchor)
			return tt_set_error(err, TT_EINVAL, "%s:%d: table, table_header, rows and anchor are for html sources",
					    where, line);
	}
	if (!u->provider && !(u->provider = strdup(u->id)))
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	if (!u->name) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "user source %s", u->id);
		u->name = buf_detach(&b, NULL);
	}
	u->file = strdup(where);
	if (!u->file)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	u->def.id = u->id;
	u->def.name = u->name;
	u->def.url = u->url;
	u->def.extract = extract_user;
	if (!u->def.min_models)
		u->def.min_models = 1;
	u->def.anchors = (const char *const *)u->anchors;
	return 0;
}

int usersrc_load_text(const char *text, size_t len, const char *origin, struct tt_error *err)
{
	struct usersrc *set = NULL, *cur = NULL;
	size_t n = 0, alloc = 0, pos = 0;
	int lineno = 0, rc = 0;
	const char *where = origin ? origin : "sources.conf";

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[4096], *s, *eq;

		lineno++;
		if (ll >= sizeof(line)) {
			rc = tt_set_error(err, TT_EINVAL, "%s:%d: line too long", where, lineno);
			goto out;
		}
		memcpy(line, text + pos, ll);
		line[ll] = '\0';
		pos += ll + (nl ? 1 : 0);
		if (memchr(line, '\0', ll)) {
			rc = tt_set_error(err, TT_EINVAL, "%s:%d: a NUL byte", where, lineno);
			goto out;
		}
		s = trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		/* A '#' after a blank starts a comment ("format = html   # or json"). */
		for (eq = s; *eq; eq++)
			if (*eq == '#' && (eq[-1] == ' ' || eq[-1] == '\t')) {
				*eq = '\0';
				s = trim(s);
				break;
			}
		if (*s == '[') {
			char *end = strchr(s, ']'), *id;
			if (!end || end[1] || strncmp(s, "[source ", 8)) {
				rc = tt_set_error(err, TT_EINVAL, "%s:%d: a section is written [source ID]", where,
						  lineno);
				goto out;
			}
			*end = '\0';
			id = trim(s + 8);
			if (!valid_id(id)) {
				rc = tt_set_error(err, TT_EINVAL,
						  "%s:%d: source id '%s': use a-z, 0-9 and '_' (up to 32; no '-')",
						  where, lineno, id);
				goto out;
			}
			if (cur && (rc = finish(cur, set, n - 1, where, err)) < 0)
				goto out;
			if (n == alloc) {
				size_t na = alloc ? alloc * 2 : 4;
				struct usersrc *nv = realloc(set, na * sizeof(*nv));
				if (!nv) {
					rc = tt_set_error(err, TT_ENOMEM, "out of memory");
					goto out;
				}
				set = nv;
				alloc = na;
			}
			cur = &set[n++];
			memset(cur, 0, sizeof(*cur));
			cur->line = lineno;
			cur->id = strdup(id);
			if (!cur->id) {
				rc = tt_set_error(err, TT_ENOMEM, "out of memory");
				goto out;
			}
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			rc = tt_set_error(err, TT_EINVAL, "%s:%d: expected 'key = value' or [source ID]", where,
					  lineno);
			goto out;
		}
		if (!cur) {
			rc = tt_set_error(err, TT_EINVAL, "%s:%d: a key before the first [source ID]", where,
					  lineno);
			goto out;
		}
		*eq = '\0';
		rc = set_key(cur, trim(s), trim(eq + 1), where, lineno, err);
		if (rc < 0)
			goto out;
	}
	if (cur && (rc = finish(cur, set, n - 1, where, err)) < 0)
		goto out;
	usersrc_clear();
	loaded = set;
	nloaded = n;
	set = NULL;
	rc = (int)n;
out:
	if (set)
		set_release(set, n);
	return rc;
}

int usersrc_load_file(const char *path, struct tt_error *err)
{
	struct buf b = BUF_INIT;
	int rc;

	rc = buf_read_file(&b, path, err);
	if (rc < 0)
		goto out;
	rc = usersrc_load_text(b.buf, b.len, path, err);
out:
	buf_release(&b);
	return rc;
}
