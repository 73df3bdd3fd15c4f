/*
 * import_csv.c - the bundled history CSV (price-history.csv shape) into
 * dated prices, validated row by row.
 *
 * A small RFC 4180 reader yields one record at a time; the header row
 * maps column names to positions; each data row is checked (date, prices,
 * bounds, cache-read relation) and either becomes up to three prices on
 * its date (an empty cell is an absent price) or one reject with line,
 * column, value and reason.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/import.h"
#include "tokentrend/buf.h"
#include "tokentrend/clock.h"
#include "tokentrend/money.h"
#include "tokentrend/validate.h"

#define CSV_MAX_FIELDS 64

/* ---- provider names ---- */

struct import_provider {
	const char *name;     /* as in the CSV (LiteLLM) */
	const char *id;       /* our source id */
	const char *alias;    /* another model prefix naming the same seller, or NULL */
};

static const struct import_provider import_providers[] = {
	{ "vertex_ai", "vertex", NULL },
	{ "together", "together", "together_ai" },
	{ "openai", "openai", NULL },
	{ "anthropic", "anthropic", NULL },
	{ "gemini", "gemini", NULL },
	{ "deepseek", "deepseek", NULL },
	{ "zai", "zai", NULL },
	{ "mistral", "mistral", NULL },
	{ "groq", "groq", NULL },
	{ "xai", "xai", NULL },
	{ "openrouter", "openrouter", NULL },
	{ "azure", "azure", NULL },
	{ "bedrock", "bedrock", NULL },
};

static const struct import_provider *provider_find(const char *name)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(import_providers); i++)
		if (!strcmp(import_providers[i].name, name))
			return &import_providers[i];
	return NULL;
}

const char *import_provider_id(const char *provider)
{
	const struct import_provider *p = provider_find(provider);

	return p ? p->id : provider;
}

/* model without "prefix/" when it starts so and has more after it. */
static const char *strip(const char *model, const char *prefix)
{
	size_t n;

	if (!prefix)
		return NULL;
	n = strlen(prefix);
	if (!strncmp(model, prefix, n) && model[n] == '/' && model[n + 1])
		return model + n + 1;
	return NULL;
}

const char *import_model_id(const char *provider, const char *model)
{
	const struct import_provider *p = provider_find(provider);
	const char *m;

	if ((m = strip(model, provider)))
		return m;
	if (p && ((m = strip(model, p->id)) || (m = strip(model, p->alias))))
		return m;
	return model;
}

/* ---- RFC 4180 records ---- */

struct csv_rec {
	struct buf data;              /* field bytes, each followed by a NUL */
	size_t off[CSV_MAX_FIELDS];   /* start of each field in data */
	size_t n;                     /* fields (may exceed CSV_MAX_FIELDS: counted only) */
	int bad_quote;                /* a quote error somewhere in the record */
	int bad_nul;                  /* a NUL byte somewhere in the record */
	size_t line;                  /* line where the record starts */
};

static const char *rec_field(const struct csv_rec *r, size_t i)
{
	return i < r->n && i < CSV_MAX_FIELDS ? r->data.buf + r->off[i] : "";
}

/*
 * Read the record starting at *pos.  Returns 1 with *r filled, 0 at the
 * end of the body, or TT_ENOMEM.  *line is advanced past the record.
 */
static int csv_next(const char *s, size_t len, size_t *pos, size_t *line, struct csv_rec *r)
{
	size_t i = *pos, start;
	int quoted, rc;

	buf_reset(&r->data);
	r->n = 0;
	r->bad_quote = 0;
	r->bad_nul = 0;
	r->line = *line;
	if (i >= len)
		return 0;
	for (;;) {
		/* one field */
		start = r->data.len;
		quoted = 0;
		if (i < len && s[i] == '"') {
			quoted = 1;
			i++;
			for (;;) {
				if (i >= len) {
					r->bad_quote = 1; /* unterminated */
					break;
				}
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						if ((rc = buf_addch(&r->data, '"')))
							return rc;
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (s[i] == '\n')
					(*line)++;
				if (s[i] == '\0')
					r->bad_nul = 1;
				if ((rc = buf_addch(&r->data, s[i])))
					return rc;
				i++;
			}
		}
		while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
			if (quoted || s[i] == '"')
				r->bad_quote = 1; /* text after a closing quote, or a stray quote */
			if (s[i] == '\0')
				r->bad_nul = 1; /* would cut the field short: "2\0999" is not 2 */
			if ((rc = buf_addch(&r->data, s[i])))
				return rc;
			i++;
		}
		if (r->n < CSV_MAX_FIELDS)
			r->off[r->n] = start;
		r->n++;
		if ((rc = buf_addch(&r->data, '\0')))
			return rc;
		if (i < len && s[i] == ',') {
			i++;
			continue;
		}
		break;
	}
	/* end of record: CRLF, LF, lone CR or end of body */
	if (i < len && s[i] == '\r')
		i++;
	if (i < len && s[i] == '\n')
		i++;
	(*line)++;
	*pos = i;
	return 1;
}

/* ---- the import ---- */

enum col {
	C_DATE, C_PROVIDER, C_MODEL, C_INPUT, C_OUTPUT, C_CACHED, C_SOURCE,
	/* the export's fuller shape */
	C_DIMENSION, C_TIER, C_CONDITION, C_REGION, C_UNIT, C_CURRENCY, C_PRICE, C_VALID_FROM,
	C_VALID_TO, C_FIRST_SEEN, C_LAST_SEEN, C_NOTE, C_COUNT
};

static const char *const col_names[C_COUNT] = {
	"date", "provider", "model", "input_per_mtok", "output_per_mtok",
	"cached_input_per_mtok", "source",
	"dimension", "tier", "condition", "region", "unit", "currency", "price", "valid_from",
	"valid_to", "first_seen", "last_seen", "note",
};

/* Required columns of the bundled shape and of the export's shape. */
static const int col_required[C_COUNT] = { 1, 1, 1, 1, 1, 0, 0 };
static const int col_required_long[C_COUNT] = {
	[C_PROVIDER] = 1, [C_MODEL] = 1, [C_DIMENSION] = 1, [C_PRICE] = 1, [C_VALID_FROM] = 1,
	[C_SOURCE] = 1,
};

/* One interval of the export shape, for finding removals after the parse. */
struct long_iv {
	size_t day;       /* index in out->days */
	size_t price;     /* index of its first price in that day */
	char *key;        /* provider..currency joined with \x1f; owned */
	char from[11], to[11];
};

struct import_state {
	struct import_result *out;
	const char *file; /* last path component of origin */
	int col[C_COUNT]; /* position of each column, -1 when absent */
	size_t ncols;     /* fields in the header */
	int long_shape;   /* the export's shape */
	struct long_iv *ivs;
	size_t nivs, aivs;
};

static int add_reject(struct import_state *st, size_t line, const char *reason, const char *column,
		      const char *value)
{
	struct import_result *o = st->out;
	struct import_reject *nv, *r;

	nv = realloc(o->rejects, (o->nrejects + 1) * sizeof(*nv));
	if (!nv)
		return TT_ENOMEM;
	o->rejects = nv;
	r = &o->rejects[o->nrejects];
	r->line = line;
	r->reason = reason;
	r->column = column;
	r->value = value ? strdup(value) : NULL;
	if (value && !r->value)
		return TT_ENOMEM;
	o->nrejects++;
	return 0;
}

/* 1 when decimal text has a non-zero digit before any exponent. */
static int text_nonzero(const char *s)
{
	for (; *s && *s != 'e' && *s != 'E'; s++)
		if (*s >= '1' && *s <= '9')
			return 1;
	return 0;
}

/*
 * Check one price cell.  Returns NULL when it is good: *present = 1 with
 * *nanos set, or *present = 0 for an empty (or blank) cell, which is an
 * absent price, never 0 (DESIGN.md).  Else the reject reason.
 */
static const char *check_price(const char *text, int64_t *nanos, int *present)
{
	int rc;

	*present = 0;
	if (!text[0] || strspn(text, " \t") == strlen(text))
		return NULL;
	rc = money_parse(text, strlen(text), 0, nanos, NULL);
	if (rc == TT_ERANGE)
		return "implausible price (> 1000 per 1M tokens)";
	if (rc < 0)
		return "not a number";
	if (*nanos < 0)
		return "negative price";
	if (*nanos > MONEY_MAX_PER_MTOK)
		return "implausible price (> 1000 per 1M tokens)";
	if (*nanos == 0 && text_nonzero(text))
		return "rounds to 0";
	*present = 1;
	return NULL;
}

static int day_cmp(const void *a, const void *b)
{
	return strcmp(((const struct import_day *)a)->date, ((const struct import_day *)b)->date);
}

/* The day for date, created when new.  Returns NULL on ENOMEM. */
static struct import_day *day_get(struct import_result *o, const char *date)
{
	struct import_day *nv;
	size_t i;

	for (i = o->ndays; i-- > 0;) /* rows come mostly in date order: search back */
		if (!strcmp(o->days[i].date, date))
			return &o->days[i];
	nv = realloc(o->days, (o->ndays + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	o->days = nv;
	memset(&nv[o->ndays], 0, sizeof(nv[0]));
	snprintf(nv[o->ndays].date, sizeof(nv[0].date), "%s", date);
	return &nv[o->ndays++];
}

/* The CSV line recorded in an origin we wrote ("... line=42 ..."). */
static size_t origin_line(const char *origin)
{
	const char *l = origin ? strstr(origin, " line=") : NULL;

	return l ? (size_t)strtoul(l + 6, NULL, 10) : 0;
}

/*
 * A key seen again on the same date: the table changed twice that day
 * (rows follow commit order) or two published keys map to one of ours.
 * The later row is the day's state: drop the earlier row's prices from the
 * day and report that row.  Returns 0 or TT_ENOMEM.
 */
static int supersede(struct import_state *st, struct import_day *day, const char *prov,
		     const char *model, size_t line)
{
	struct price_list *l = &day->prices;
	size_t i, o, old_line = 0;
	char by[48];

	for (i = 0, o = 0; i < l->n; i++) {
		if (!strcmp(l->v[i].provider, prov) && !strcmp(l->v[i].model, model)) {
			old_line = origin_line(l->v[i].origin);
			price_release(&l->v[i]);
			st->out->nprices--;
			continue;
		}
		l->v[o++] = l->v[i];
	}
	if (o == l->n)
		return 0;
	l->n = o;
	st->out->accepted--;
	snprintf(by, sizeof(by), "line %zu", line);
	return add_reject(st, old_line, "superseded later the same day", NULL, by);
}

static int reject_cmp(const void *a, const void *b)
{
	const struct import_reject *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/* One data record: prices on its day, or one reject.  Returns 0 or TT_ENOMEM. */
static int import_row(struct import_state *st, const struct csv_rec *r)
{
	static const char *const dims[3] = { "input", "output", "cache_read" };
	static const enum col cols[3] = { C_INPUT, C_OUTPUT, C_CACHED };
	const char *date, *prov, *model, *source, *why;
	int64_t nanos[3] = { 0, 0, 0 };
	int present[3] = { 0, 0, 0 };
	char count[32], origin[1024];
	struct import_day *day;
	struct price p;
	size_t k;
	int rc;

	if (r->bad_nul)
		return add_reject(st, r->line, "NUL byte in a field", NULL, NULL);
	if (r->n != st->ncols) {
		snprintf(count, sizeof(count), "%zu fields, header has %zu", r->n, st->ncols);
		return add_reject(st, r->line, "wrong field count", NULL, count);
	}
	if (r->bad_quote)
		return add_reject(st, r->line, "bad quoting", NULL, NULL);
	date = rec_field(r, (size_t)st->col[C_DATE]);
	if (!date_valid(date))
		return add_reject(st, r->line, "bad date", "date", date);
	prov = rec_field(r, (size_t)st->col[C_PROVIDER]);
	model = rec_field(r, (size_t)st->col[C_MODEL]);
	if (!prov[0] || !model[0])
		return add_reject(st, r->line, "empty provider or model", !prov[0] ? "provider" : "model",
				  NULL);
	for (k = 0; k < 3; k++) {
		const char *text;
		if (st->col[cols[k]] < 0)
			continue;
		text = rec_field(r, (size_t)st->col[cols[k]]);
		why = check_price(text, &nanos[k], &present[k]);
		if (why)
			return add_reject(st, r->line, why, col_names[cols[k]], text);
	}
	/* An empty cell is that dimension absent from the row; the others load. */
	if (!present[0] && !present[1] && !present[2])
		return add_reject(st, r->line, "no price (every price cell is empty)", NULL, NULL);
	/* The relation needs the row's input price; without one there is none to break. */
	if (present[0] && present[2] && nanos[2] >= nanos[0] && !(nanos[0] == 0 && nanos[2] == 0))
		return add_reject(st, r->line, "cache read not below input", col_names[C_CACHED],
				  rec_field(r, (size_t)st->col[C_CACHED]));

	source = st->col[C_SOURCE] >= 0 ? rec_field(r, (size_t)st->col[C_SOURCE]) : "";
	snprintf(origin, sizeof(origin), "file=%s line=%zu source=%s provider=%s model=%s", st->file,
		 r->line, source, prov, model);
	day = day_get(st->out, date);
	if (!day)
		return TT_ENOMEM;
	if ((rc = supersede(st, day, import_provider_id(prov), import_model_id(prov, model),
			    r->line)))
		return rc;
	memset(&p, 0, sizeof(p));
	p.provider = (char *)import_provider_id(prov);
	p.model = (char *)import_model_id(prov, model);
	p.tier = (char *)"standard";
	p.condition = (char *)"";
	p.region = (char *)"";
	p.unit = (char *)PRICE_UNIT_MTOK;
	p.currency = (char *)"USD";
	p.origin = origin;
	for (k = 0; k < 3; k++) {
		if (!present[k])
			continue;
		p.dimension = (char *)dims[k];
		p.nanos = nanos[k];
		p.text = (char *)rec_field(r, (size_t)st->col[cols[k]]);
		if ((rc = price_list_add(&day->prices, &p)))
			return rc;
		st->out->nprices++;
	}
	st->out->accepted++;
	return 0;
}

static int read_header(struct import_state *st, const struct csv_rec *r, const char *file,
		       struct tt_error *err)
{
	const int *req;
	size_t i, c;

	for (c = 0; c < C_COUNT; c++)
		st->col[c] = -1;
	st->ncols = r->n;
	for (i = 0; i < r->n && i < CSV_MAX_FIELDS; i++) {
		const char *name = rec_field(r, i);
		for (c = 0; c < C_COUNT; c++)
			if (!strcmp(name, col_names[c]) && st->col[c] < 0)
				st->col[c] = (int)i;
	}
	st->long_shape = st->col[C_DIMENSION] >= 0 && st->col[C_PRICE] >= 0 &&
			 st->col[C_VALID_FROM] >= 0 && st->col[C_SOURCE] >= 0;
	req = st->long_shape ? col_required_long : col_required;
	for (c = 0; c < C_COUNT; c++)
		if (req[c] && st->col[c] < 0)
			return tt_set_error(err, TT_EPARSE,
					    "%s: line %zu: the header has no column '%s' (not a "
					    "price-history CSV)",
					    file, r->line, col_names[c]);
	return 0;
}

/* ---- the export's fuller shape ---- */

/* Cell of column c, or dflt when the column is absent or the cell empty. */
static const char *cell(const struct import_state *st, const struct csv_rec *r, enum col c,
			const char *dflt)
{
	const char *v;

	if (st->col[c] < 0)
		return dflt;
	v = rec_field(r, (size_t)st->col[c]);
	return *v ? v : dflt;
}

/* The day of one source (export shape), created when new. */
static struct import_day *source_day(struct import_result *o, const char *source, const char *date)
{
	struct import_day *nv;
	size_t i;

	for (i = 0; i < o->ndays; i++)
		if (!strcmp(o->days[i].source, source))
			return &o->days[i];
	nv = realloc(o->days, (o->ndays + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	o->days = nv;
	memset(&nv[o->ndays], 0, sizeof(nv[0]));
	snprintf(nv[o->ndays].date, sizeof(nv[0].date), "%s", date);
	snprintf(nv[o->ndays].source, sizeof(nv[0].source), "%s", source);
	return &nv[o->ndays++];
}

static int import_long_row(struct import_state *st, const struct csv_rec *r)
{
	const char *prov, *model, *dim, *tier, *cond, *region, *unit, *cur, *text, *from, *to;
	const char *first, *last, *source, *note, *obs[2];
	struct tt_error e = { 0 };
	struct import_day *day;
	struct long_iv *iv;
	struct price p;
	struct buf key = BUF_INIT;
	char origin[512], count[32];
	int64_t nanos = 0;
	size_t k, first_idx;
	int rc;

	if (r->n != st->ncols) {
		snprintf(count, sizeof(count), "%zu fields, header has %zu", r->n, st->ncols);
		return add_reject(st, r->line, "wrong field count", NULL, count);
	}
	if (r->bad_quote)
		return add_reject(st, r->line, "bad quoting", NULL, NULL);
	prov = cell(st, r, C_PROVIDER, "");
	model = cell(st, r, C_MODEL, "");
	dim = cell(st, r, C_DIMENSION, "");
	source = cell(st, r, C_SOURCE, "");
	if (!*prov || !*model || !*dim || !*source || strlen(source) >= sizeof(st->out->days[0].source))
		return add_reject(st, r->line, "empty provider or model",
				  !*prov ? "provider" : !*model ? "model" : !*dim ? "dimension" : "source",
				  NULL);
	tier = cell(st, r, C_TIER, "standard");
	cond = cell(st, r, C_CONDITION, "");
	region = cell(st, r, C_REGION, "");
	unit = cell(st, r, C_UNIT, PRICE_UNIT_MTOK);
	cur = cell(st, r, C_CURRENCY, "USD");
	note = cell(st, r, C_NOTE, NULL);
	if (!money_currency_code(cur))
		return add_reject(st, r->line, "bad unit or currency", "currency", cur);
	from = cell(st, r, C_VALID_FROM, "");
	to = cell(st, r, C_VALID_TO, "");
	first = cell(st, r, C_FIRST_SEEN, from);
	last = cell(st, r, C_LAST_SEEN, first);
	if (!date_valid(from) || (*to && (!date_valid(to) || strcmp(to, from) <= 0)) ||
	    !date_valid(first) || !date_valid(last) || strcmp(last, first) < 0)
		return add_reject(st, r->line, "bad interval dates", "valid_from", from);
	text = cell(st, r, C_PRICE, "");
	if (!*text)
		return add_reject(st, r->line, "empty price", "price", NULL);
	rc = money_parse(text, strlen(text), 0, &nanos, NULL);
	if (rc < 0)
		return add_reject(st, r->line, rc == TT_ERANGE ? "implausible price (> 1000 per 1M tokens)"
							       : "not a number", "price", text);
	if (nanos < 0)
		return add_reject(st, r->line, "negative price", "price", text);

	memset(&p, 0, sizeof(p));
	p.provider = (char *)prov;
	p.model = (char *)model;
	p.dimension = (char *)dim;
	p.tier = (char *)tier;
	p.condition = (char *)cond;
	p.region = (char *)region;
	p.unit = (char *)unit;
	p.currency = (char *)cur;
	p.nanos = nanos;
	p.text = (char *)text;
	p.note = (char *)note;
	p.effective = (char *)from;
	if (validate_price_bounds(&p, &e) < 0)
		return add_reject(st, r->line, "implausible price", "price", text);
	snprintf(origin, sizeof(origin), "file=%s line=%zu source=%s", st->file, r->line, source);
	p.origin = origin;
	day = source_day(st->out, source, first);
	if (!day)
		return TT_ENOMEM;
	first_idx = day->prices.n;
	obs[0] = first;
	obs[1] = strcmp(first, last) ? last : NULL;
	for (k = 0; k < 2; k++) {
		if (!obs[k])
			continue;
		p.observed = (char *)obs[k];
		if ((rc = price_list_add(&day->prices, &p)))
			return rc;
		st->out->nprices++;
	}
	/* remember the interval for the removal pass */
	if (st->nivs == st->aivs) {
		size_t na = st->aivs ? st->aivs * 2 : 64;
		struct long_iv *nv = realloc(st->ivs, na * sizeof(*nv));
		if (!nv)
			return TT_ENOMEM;
		st->ivs = nv;
		st->aivs = na;
	}
	if (buf_addf(&key, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", prov, model, dim, tier, cond,
		     region, unit, cur) < 0)
		return TT_ENOMEM;
	iv = &st->ivs[st->nivs++];
	iv->day = (size_t)(day - st->out->days);
	iv->price = first_idx;
	iv->key = buf_detach(&key, NULL);
	snprintf(iv->from, sizeof(iv->from), "%s", from);
	snprintf(iv->to, sizeof(iv->to), "%s", to);
	st->out->accepted++;
	return 0;
}

static int long_iv_cmp(const void *a, const void *b)
{
	const struct long_iv *x = a, *y = b;
	int c;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if ((c = strcmp(x->key, y->key)))
		return c;
	return strcmp(x->from, y->from);
}

/* An interval with a valid_to and no interval of its key starting there
 * ended by a removal. */
static int find_removals(struct import_state *st)
{
	size_t i, j;

	if (st->nivs > 1)
		qsort(st->ivs, st->nivs, sizeof(*st->ivs), long_iv_cmp);
	for (i = 0; i < st->nivs; i++) {
		const struct long_iv *v = &st->ivs[i];
		struct import_day *day = &st->out->days[v->day];
		struct price p;
		int succ = 0;

		if (!v->to[0])
			continue;
		for (j = i + 1; j < st->nivs && st->ivs[j].day == v->day && !strcmp(st->ivs[j].key, v->key);
		     j++)
			if (!strcmp(st->ivs[j].from, v->to))
				succ = 1;
		if (succ)
			continue;
		p = day->prices.v[v->price];
		p.observed = (char *)v->to;
		p.effective = NULL;
		if (price_list_add(&day->removals, &p) < 0)
			return TT_ENOMEM;
	}
	return 0;
}

int import_csv_parse(const char *body, size_t len, const char *origin, struct import_result *out,
		     struct tt_error *err)
{
	struct import_state st;
	struct csv_rec rec;
	size_t pos = 0, line = 1;
	const char *slash;
	int rc, got;

	memset(out, 0, sizeof(*out));
	memset(&rec, 0, sizeof(rec));
	buf_init(&rec.data, 0);
	memset(&st, 0, sizeof(st));
	st.out = out;
	st.file = origin ? origin : "csv";
	slash = strrchr(st.file, '/');
	if (slash && slash[1])
		st.file = slash + 1;

	if (len >= 3 && !memcmp(body, "\xef\xbb\xbf", 3))
		pos = 3;
	/* header: the first non-blank record */
	do {
		got = csv_next(body, len, &pos, &line, &rec);
	} while (got == 1 && rec.n == 1 && !rec_field(&rec, 0)[0] && !rec.bad_nul);
	if (got < 0) {
		rc = tt_set_error(err, TT_ENOMEM, "%s: out of memory", st.file);
		goto out;
	}
	if (got == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: empty file, no header", st.file);
		goto out;
	}
	if ((rc = read_header(&st, &rec, st.file, err)) < 0)
		goto out;
	while ((got = csv_next(body, len, &pos, &line, &rec)) == 1) {
		if (rec.n == 1 && !rec_field(&rec, 0)[0] && !rec.bad_quote && !rec.bad_nul)
			continue; /* blank line */
		out->rows++;
		rc = st.long_shape ? import_long_row(&st, &rec) : import_row(&st, &rec);
		if (rc < 0)
			break;
	}
	if (got >= 0 && rc >= 0 && st.long_shape)
		rc = find_removals(&st);
	if (got < 0 || rc < 0) {
		rc = tt_set_error(err, TT_ENOMEM, "%s: out of memory near line %zu", st.file,
				  rec.line);
		goto out;
	}
	if (out->ndays > 1)
		qsort(out->days, out->ndays, sizeof(out->days[0]), day_cmp);
	if (out->nrejects > 1)
		qsort(out->rejects, out->nrejects, sizeof(out->rejects[0]), reject_cmp);
	rc = (int)out->accepted;
out:
	for (size_t i = 0; i < st.nivs; i++)
		free(st.ivs[i].key);
	free(st.ivs);
	buf_release(&rec.data);
	if (rc < 0)
		import_result_release(out);
	return rc;
}

void import_result_release(struct import_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->ndays; i++) {
		price_list_release(&r->days[i].prices);
		price_list_release(&r->days[i].removals);
	}
	free(r->days);
	for (i = 0; i < r->nrejects; i++)
		free(r->rejects[i].value);
	free(r->rejects);
	memset(r, 0, sizeof(*r));
}

size_t import_reject_count(const struct import_result *r, const char *reason)
{
	size_t i, n = 0;

	if (!r)
		return 0;
	for (i = 0; i < r->nrejects; i++)
		n += !strcmp(r->rejects[i].reason, reason);
	return n;
}
