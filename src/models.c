/*
 * models.c - the model catalog: parse db/models.conf (compiled in) and the
 * user's override file, and answer exact lookups (models.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/models.h"

#include "tokentrend/buf.h"

/* db/models.conf, embedded at build time (see CMakeLists.txt). */
__asm__(".section .rodata\n"
	".balign 16\n"
	".global tt_models_conf_start\n"
	"tt_models_conf_start:\n"
	".incbin \"" TT_MODELS_CONF "\"\n"
	".global tt_models_conf_end\n"
	"tt_models_conf_end:\n"
	".byte 0\n"
	".previous\n");
extern const char tt_models_conf_start[];
extern const char tt_models_conf_end[];

#define MODELS_MAX_TOKENS 64

const char *models_builtin_text(size_t *len)
{
	*len = (size_t)(tt_models_conf_end - tt_models_conf_start);
	return tt_models_conf_start;
}

/* Canonical ids and group names: lowercase letters, digits, '.', '_', '-'. */
static int models_id_ok(const char *s)
{
	if (!*s || !(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return 1;
}

/* Providers: lowercase letters, digits, '_' and '-' (stored source/provider ids). */
static int models_provider_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_' && *s != '-')
			return 0;
	return 1;
}

static int name_cmp(const char *pa, const char *na, const char *pb, const char *nb)
{
	int c = strcmp(pa, pb);

	return c ? c : strcmp(na, nb);
}

static int name_sort_cmp(const void *a, const void *b)
{
	const struct models_name *x = a, *y = b;

	return name_cmp(x->provider, x->name, y->provider, y->name);
}

/* Index of (provider, name) among names[lo, hi) sorted, or -1. */
static long name_bsearch(const struct models_name *v, size_t lo, size_t hi, const char *provider,
			 const char *name)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = name_cmp(provider, name, v[mid].provider, v[mid].name);

		if (!c)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

size_t models_index(const struct models *m, const char *id)
{
	size_t i;

	for (i = 0; id && i < m->n; i++)
		if (!strcmp(m->v[i].id, id))
			return i;
	return (size_t)-1;
}

const struct models_model *models_find(const struct models *m, const char *id)
{
	size_t i = models_index(m, id);

	return i == (size_t)-1 ? NULL : &m->v[i];
}

const char *models_vendor(const struct models *m, const char *id)
{
	const struct models_model *mm = models_find(m, id);

	return mm ? mm->vendor : NULL;
}

const struct models_group *models_group_find(const struct models *m, const char *name)
{
	size_t i;

	for (i = 0; name && i < m->n_groups; i++)
		if (!strcmp(m->groups[i].name, name))
			return &m->groups[i];
	return NULL;
}

int models_group_has(const struct models_group *g, const char *id)
{
	size_t i;

	for (i = 0; g && id && i < g->n_members; i++)
		if (!strcmp(g->members[i], id))
			return 1;
	return 0;
}

size_t models_groups_of(const struct models *m, const char *id, const struct models_group **out,
			size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < m->n_groups; i++) {
		if (!models_group_has(&m->groups[i], id))
			continue;
		if (out && n < max)
			out[n] = &m->groups[i];
		n++;
	}
	return n;
}

const char *models_lookup(const struct models *m, const char *provider, const char *name)
{
	long i;

	if (!m || !provider || !name)
		return NULL;
	i = name_bsearch(m->names, 0, m->n_names, provider, name);
	return i < 0 ? NULL : m->v[m->names[i].model].id;
}

const char *models_canonical(const struct models *m, const char *provider, const char *name)
{
	const char *c = models_lookup(m, provider, name);

	return c ? c : name;
}

const char *models_resolve(const struct models *m, const char *text, struct tt_error *err)
{
	const struct models_model *mm = models_find(m, text);
	const char *found = NULL;
	struct buf all = BUF_INIT;
	size_t i;
	int ambiguous = 0;

	if (mm)
		return mm->id;
	for (i = 0; text && i < m->n_names; i++) {
		const char *id = m->v[m->names[i].model].id;

		if (strcmp(m->names[i].name, text))
			continue;
		if (found && strcmp(found, id))
			ambiguous = 1;
		if (!found || strcmp(found, id))
			buf_addf(&all, "%s%s (%s)", all.len ? ", " : "", id, m->names[i].provider);
		found = id;
	}
	if (!found)
		tt_set_error(err, TT_ENOTFOUND,
			     "'%s' is neither a canonical model id nor a seller's name in the model catalog "
			     "(`tokentrend models` lists them)", text ? text : "");
	else if (ambiguous)
		tt_set_error(err, TT_EINVAL, "'%s' names several catalog models: %s; give the canonical id",
			     text, all.buf);
	buf_release(&all);
	return ambiguous ? NULL : found;
}

static void *grow(void *v, size_t *alloc, size_t need, size_t size)
{
	size_t na;
	void *nv;

	if (need <= *alloc)
		return v;
	na = *alloc ? *alloc * 2 : 32;
	while (na < need)
		na *= 2;
	nv = realloc(v, na * size);
	if (!nv)
		return NULL;
	*alloc = na;
	return nv;
}

struct models_parse_state {
	struct models *m;
	const char *origin;
	size_t file;
	size_t sorted;        /* names[0, sorted) are sorted (earlier files) */
	long model;           /* current model block, or -1 */
	long group;           /* current group block, or -1 */
	struct tt_error *err;
};

static int perr(struct models_parse_state *ps, int line, const char *what, const char *text)
{
	return tt_set_error(ps->err, TT_EPARSE, "%s:%d: %s ('%s')", ps->origin, line, what, text);
}

static int directive_model(struct models_parse_state *ps, int line, char **tok, int nt,
			   const char *raw)
{
	struct models *m = ps->m;
	struct models_model *mm;
	size_t i;

	if (nt != 2)
		return perr(ps, line, "expected `model ID`", raw);
	if (!models_id_ok(tok[1]))
		return perr(ps, line, "a canonical id is lowercase letters, digits, '.', '_' and '-'", raw);
	ps->group = -1;
	i = models_index(m, tok[1]);
	if (i != (size_t)-1) {
		if (m->v[i].file == ps->file) {
			char what[160];

			snprintf(what, sizeof(what), "model '%s' is already declared at line %d", tok[1],
				 m->v[i].line);
			return perr(ps, line, what, raw);
		}
		ps->model = (long)i; /* an override adds names to a built-in model */
		return 0;
	}
	mm = grow(m->v, &m->alloc, m->n + 1, sizeof(*m->v));
	if (!mm)
		return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
	m->v = mm;
	mm = &m->v[m->n];
	memset(mm, 0, sizeof(*mm));
	mm->id = strdup(tok[1]);
	mm->origin = strdup(ps->origin);
	mm->line = line;
	mm->file = ps->file;
	m->n++;
	if (!mm->id || !mm->origin)
		return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
	ps->model = (long)(m->n - 1);
	return 0;
}

static int directive_name(struct models_parse_state *ps, int line, char **tok, int nt,
			  const char *raw)
{
	struct models *m = ps->m;
	int k;

	if (ps->model < 0)
		return perr(ps, line, "`name` belongs inside a `model` block", raw);
	if (nt < 3)
		return perr(ps, line, "expected `name PROVIDER NAME [NAME...]`", raw);
	if (!models_provider_ok(tok[1]))
		return perr(ps, line, "a provider id is lowercase letters, digits, '_' and '-'", raw);
	for (k = 2; k < nt; k++) {
		struct models_name *n = NULL;
		long at = name_bsearch(m->names, 0, ps->sorted, tok[1], tok[k]);
		size_t i;

		for (i = ps->sorted; at < 0 && i < m->n_names; i++)
			if (!name_cmp(tok[1], tok[k], m->names[i].provider, m->names[i].name))
				at = (long)i;
		if (at >= 0) {
			n = &m->names[at];
			if (n->file == ps->file) {
				char what[256];

				snprintf(what, sizeof(what), "%s '%s' is already named for model '%s' at line %d",
					 tok[1], tok[k], m->v[n->model].id, n->line);
				return perr(ps, line, what, raw);
			}
			/* An override moves the name to this model. */
			free(n->origin);
			n->origin = strdup(ps->origin);
			n->model = (size_t)ps->model;
			n->line = line;
			n->file = ps->file;
			if (!n->origin)
				return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
			continue;
		}
		n = grow(m->names, &m->names_alloc, m->n_names + 1, sizeof(*m->names));
		if (!n)
			return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
		m->names = n;
		n = &m->names[m->n_names++];
		memset(n, 0, sizeof(*n));
		n->provider = strdup(tok[1]);
		n->name = strdup(tok[k]);
		n->origin = strdup(ps->origin);
		n->model = (size_t)ps->model;
		n->line = line;
		n->file = ps->file;
		if (!n->provider || !n->name || !n->origin)
			return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
	}
	if (!m->v[ps->model].vendor) {
		m->v[ps->model].vendor = strdup(tok[1]);
		if (!m->v[ps->model].vendor)
			return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
	}
	return 0;
}

static void group_clear(struct models_group *g)
{
	size_t i;

	for (i = 0; i < g->n_members; i++)
		free(g->members[i]);
	g->n_members = 0;
}

static int directive_group(struct models_parse_state *ps, int line, char **tok, int nt,
			   const char *raw, const char *about)
{
	struct models *m = ps->m;
	struct models_group *g = NULL;
	size_t i;

	if (nt < 2)
		return perr(ps, line, "expected `group NAME [DESCRIPTION]`", raw);
	if (!models_id_ok(tok[1]))
		return perr(ps, line, "a group name is lowercase letters, digits, '.', '_' and '-'", raw);
	ps->model = -1;
	for (i = 0; i < m->n_groups; i++)
		if (!strcmp(m->groups[i].name, tok[1]))
			g = &m->groups[i];
	if (g && g->file == ps->file) {
		char what[160];

		snprintf(what, sizeof(what), "group '%s' is already declared at line %d", tok[1], g->line);
		return perr(ps, line, what, raw);
	}
	if (g) {
		/* An override redefines the group: its members replace the old. */
		group_clear(g);
		if (about[0]) {
			free(g->about);
			g->about = strdup(about);
		}
		free(g->origin);
		g->origin = strdup(ps->origin);
	} else {
		g = grow(m->groups, &m->groups_alloc, m->n_groups + 1, sizeof(*m->groups));
		if (!g)
			return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
		m->groups = g;
		g = &m->groups[m->n_groups++];
		memset(g, 0, sizeof(*g));
		g->name = strdup(tok[1]);
		g->about = strdup(about);
		g->origin = strdup(ps->origin);
	}
	g->line = line;
	g->file = ps->file;
	ps->group = (long)(g - m->groups);
	if (!g->name || !g->about || !g->origin)
		return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
	return 0;
}

static int directive_member(struct models_parse_state *ps, int line, char **tok, int nt,
			    const char *raw)
{
	struct models_group *g;
	int k;

	if (ps->group < 0)
		return perr(ps, line, "`member` belongs inside a `group` block", raw);
	if (nt < 2)
		return perr(ps, line, "expected `member ID [ID...]`", raw);
	g = &ps->m->groups[ps->group];
	for (k = 1; k < nt; k++) {
		size_t a = g->alloc;
		char **nm;
		int *nl;

		if (models_group_has(g, tok[k])) {
			char what[160];

			snprintf(what, sizeof(what), "'%s' is listed twice in group '%s'", tok[k], g->name);
			return perr(ps, line, what, raw);
		}
		nm = grow(g->members, &a, g->n_members + 1, sizeof(*g->members));
		if (!nm)
			return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
		g->members = nm;
		a = g->alloc;
		nl = grow(g->member_lines, &a, g->n_members + 1, sizeof(*g->member_lines));
		if (!nl)
			return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
		g->member_lines = nl;
		g->alloc = a;
		g->members[g->n_members] = strdup(tok[k]);
		if (!g->members[g->n_members])
			return tt_set_error(ps->err, TT_ENOMEM, "%s: out of memory", ps->origin);
		g->member_lines[g->n_members++] = line;
	}
	return 0;
}

int models_parse(struct models *m, const char *text, size_t len, const char *origin,
		 struct tt_error *err)
{
	struct models_parse_state ps;
	struct buf lb = BUF_INIT;
	const char *p = text, *end = text + len;
	int line = 0, rc = 0;
	size_t i, j;

	memset(&ps, 0, sizeof(ps));
	ps.m = m;
	ps.origin = origin ? origin : "models";
	ps.file = m->n_files++;
	ps.sorted = m->n_names;
	ps.model = ps.group = -1;
	ps.err = err;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *tok[MODELS_MAX_TOKENS], *s;
		int nt = 0;

		line++;
		buf_reset(&lb);
		if (buf_add(&lb, p, ll) < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "%s: out of memory", ps.origin);
			goto out;
		}
		p = nl ? nl + 1 : end;
		buf_rtrim(&lb);
		if (!lb.len)
			continue;
		if (memchr(lb.buf, '\0', lb.len)) {
			rc = tt_set_error(err, TT_EPARSE, "%s:%d: a NUL byte in the line", ps.origin, line);
			goto out;
		}
		/* Tokens are separated by blanks; a token starting with '#' starts a comment. */
		s = lb.buf;
		while (*s) {
			while (*s == ' ' || *s == '\t')
				s++;
			if (!*s || *s == '#')
				break;
			if (nt == MODELS_MAX_TOKENS) {
				rc = perr(&ps, line, "too many words on one line (split it)", lb.buf);
				goto out;
			}
			tok[nt++] = s;
			while (*s && *s != ' ' && *s != '\t')
				s++;
			if (*s)
				*s++ = '\0';
		}
		if (!nt)
			continue;
		for (i = 0; i < (size_t)nt; i++)
			for (j = 0; tok[i][j]; j++)
				if ((unsigned char)tok[i][j] < 0x21 || (unsigned char)tok[i][j] > 0x7e) {
					rc = perr(&ps, line, "only printable ASCII in ids and names", tok[i]);
					goto out;
				}
		if (!strcmp(tok[0], "model")) {
			rc = directive_model(&ps, line, tok, nt, tok[nt > 1 ? 1 : 0]);
		} else if (!strcmp(tok[0], "name")) {
			rc = directive_name(&ps, line, tok, nt, nt > 2 ? tok[2] : tok[0]);
		} else if (!strcmp(tok[0], "group")) {
			struct buf ab = BUF_INIT;

			/* Rebuild the description from the tokens (the line was split). */
			for (i = 2; i < (size_t)nt; i++)
				if (buf_addf(&ab, "%s%s", i > 2 ? " " : "", tok[i]) < 0)
					break;
			rc = directive_group(&ps, line, tok, nt, tok[nt > 1 ? 1 : 0], ab.buf ? ab.buf : "");
			buf_release(&ab);
		} else if (!strcmp(tok[0], "member")) {
			rc = directive_member(&ps, line, tok, nt, nt > 1 ? tok[1] : tok[0]);
		} else {
			rc = perr(&ps, line, "unknown directive (expected model, name, group or member)", tok[0]);
		}
		if (rc < 0)
			goto out;
	}

	/* Every member of a group this file set must be a declared model. */
	for (i = 0; i < m->n_groups; i++) {
		struct models_group *g = &m->groups[i];

		if (g->file != ps.file)
			continue;
		for (j = 0; j < g->n_members; j++)
			if (models_index(m, g->members[j]) == (size_t)-1) {
				char what[200];

				snprintf(what, sizeof(what), "group '%s' lists '%s', which no `model` declares",
					 g->name, g->members[j]);
				rc = perr(&ps, g->member_lines[j], what, g->members[j]);
				goto out;
			}
	}
	if (m->n_names > 1)
		qsort(m->names, m->n_names, sizeof(*m->names), name_sort_cmp);
out:
	if (rc < 0 && m->n_names > 1)
		qsort(m->names, m->n_names, sizeof(*m->names), name_sort_cmp);
	buf_release(&lb);
	return rc;
}

int models_load(struct models *m, const char *path, struct tt_error *err)
{
	struct buf body = BUF_INIT, def = BUF_INIT;
	const char *text, *user = path;
	size_t len;
	int rc;

	text = models_builtin_text(&len);
	rc = models_parse(m, text, len, "db/models.conf (built in)", err);
	if (rc < 0)
		goto out;
	if (!user) {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
		struct stat sb;

		if (xdg && *xdg)
			rc = buf_addf(&def, "%s/tokentrend/models.conf", xdg);
		else if (home && *home)
			rc = buf_addf(&def, "%s/.config/tokentrend/models.conf", home);
		if (rc < 0) {
			rc = tt_set_error(err, TT_ENOMEM, "models: out of memory");
			goto out;
		}
		if (def.len && stat(def.buf, &sb) == 0)
			user = def.buf;
	}
	if (user) {
		rc = buf_read_file(&body, user, err);
		if (rc < 0)
			goto out;
		rc = models_parse(m, body.buf ? body.buf : "", body.len, user, err);
	}
out:
	buf_release(&body);
	buf_release(&def);
	return rc;
}

void models_release(struct models *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->v[i].id);
		free(m->v[i].vendor);
		free(m->v[i].origin);
	}
	for (i = 0; i < m->n_names; i++) {
		free(m->names[i].provider);
		free(m->names[i].name);
		free(m->names[i].origin);
	}
	for (i = 0; i < m->n_groups; i++) {
		group_clear(&m->groups[i]);
		free(m->groups[i].members);
		free(m->groups[i].member_lines);
		free(m->groups[i].name);
		free(m->groups[i].about);
		free(m->groups[i].origin);
	}
	free(m->v);
	free(m->names);
	free(m->groups);
	memset(m, 0, sizeof(*m));
}
