/*
 * sellers.c - group the prices in force on a date by seller and catalog
 * model, pick the row to show, find where sources disagree, and render the
 * side-by-side view (sellers.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/sellers.h"

#include "tokentrend/json.h"
#include "tokentrend/money.h"
#include "tokentrend/series_mix.h"

static const char *const sellers_dim_order[] = {
	"input", "output", "cache_read", "cache_write", "cache_write_1h", "cache_storage", "reasoning",
};

static int dim_rank(const char *d)
{
	size_t i;

	for (i = 0; d && i < TT_ARRAY_SIZE(sellers_dim_order); i++)
		if (!strcmp(d, sellers_dim_order[i]))
			return (int)i;
	return (int)TT_ARRAY_SIZE(sellers_dim_order);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* The condition a price is compared under: "" for an unconditioned price
 * and for a lower prompt band (the price a short prompt pays; some sources
 * name the band, others do not), else the condition itself. */
static const char *market_cond(const char *c)
{
	return !c || !c[0] || series_mix_lower_band(c) > 0 ? "" : c;
}

struct sellers_item {
	const struct price_row *r;
	const char *canonical;
	int mapped;   /* the catalog knows the name: canonical is a catalog id */
	int rank;
};

/* The group key: seller, catalog model, dimension, tier, condition, region, unit, currency. */
static int group_cmp(const struct sellers_item *a, const struct sellers_item *b)
{
	const struct price *x = &a->r->p, *y = &b->r->p;
	int c;

	if ((c = strcmp(nz(x->provider), nz(y->provider))) ||
	    (c = strcmp(a->canonical, b->canonical)))
		return c;
	/* A name the catalog does not know never joins a catalog model that
	 * happens to have the same id. */
	if (a->mapped != b->mapped)
		return a->mapped - b->mapped;
	if (dim_rank(x->dimension) != dim_rank(y->dimension))
		return dim_rank(x->dimension) - dim_rank(y->dimension);
	if ((c = strcmp(nz(x->dimension), nz(y->dimension))) || (c = strcmp(nz(x->tier), nz(y->tier))) ||
	    (c = strcmp(market_cond(x->condition), market_cond(y->condition))) ||
	    (c = strcmp(nz(x->region), nz(y->region))) || (c = strcmp(nz(x->unit), nz(y->unit))))
		return c;
	return strcmp(nz(x->currency), nz(y->currency));
}

/* Within a group: the row to show comes first. */
static int item_cmp(const void *pa, const void *pb)
{
	const struct sellers_item *a = pa, *b = pb;
	int c = group_cmp(a, b), ea, eb;
	size_t la, lb;

	if (c)
		return c;
	if (a->rank != b->rank)
		return a->rank - b->rank;
	ea = !strcmp(nz(a->r->p.model), a->canonical);
	eb = !strcmp(nz(b->r->p.model), b->canonical);
	if (ea != eb)
		return eb - ea;
	la = strlen(nz(a->r->p.model));
	lb = strlen(nz(b->r->p.model));
	if (la != lb)
		return la < lb ? -1 : 1;
	if ((c = strcmp(nz(a->r->p.model), nz(b->r->p.model))))
		return c;
	return strcmp(nz(a->r->source), nz(b->r->source));
}

static int view_by_price_cmp(const void *pa, const void *pb)
{
	const struct sellers_row *a = pa, *b = pb;
	const struct price *x = &a->row->p, *y = &b->row->p;
	int c;

	if (dim_rank(x->dimension) != dim_rank(y->dimension))
		return dim_rank(x->dimension) - dim_rank(y->dimension);
	if ((c = strcmp(nz(x->dimension), nz(y->dimension))) || (c = strcmp(nz(x->tier), nz(y->tier))) ||
	    (c = strcmp(market_cond(x->condition), market_cond(y->condition))) ||
	    (c = strcmp(nz(x->currency), nz(y->currency))) || (c = strcmp(nz(x->unit), nz(y->unit))))
		return c;
	if (x->nanos != y->nanos)
		return x->nanos < y->nanos ? -1 : 1;
	if ((c = strcmp(nz(x->provider), nz(y->provider))))
		return c;
	return strcmp(nz(x->region), nz(y->region));
}

void sellers_view_release(struct sellers_view *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++)
		free(v->v[i].disagree);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

static int same_market(const struct price *x, const struct price *y)
{
	return !strcmp(nz(x->dimension), nz(y->dimension)) && !strcmp(nz(x->tier), nz(y->tier)) &&
	       !strcmp(market_cond(x->condition), market_cond(y->condition)) &&
	       !strcmp(nz(x->currency), nz(y->currency)) && !strcmp(nz(x->unit), nz(y->unit));
}

int sellers_build(const struct price_rows *rows, const struct models *cat, const char *canonical,
		  unsigned flags, struct sellers_view *out, struct tt_error *err)
{
	struct sellers_item *it = NULL;
	size_t i, j, n = 0;
	int rc = TT_ENOMEM;

	if (rows->n) {
		it = calloc(rows->n, sizeof(*it));
		if (!it)
			goto nomem;
	}
	for (i = 0; i < rows->n; i++) {
		const struct price_row *r = &rows->v[i];
		const char *c = cat ? models_lookup(cat, r->p.provider, r->p.model) : NULL;
		int mapped = c != NULL;

		if (!c)
			c = r->p.model;
		if (!c)
			continue;
		/* A catalog id selects the names the catalog maps to it; any other
		 * text selects that exact unmapped name. */
		if (canonical && (strcmp(c, canonical) ||
				  mapped != (cat && models_find(cat, canonical) != NULL)))
			continue;
		it[n].r = r;
		it[n].canonical = c;
		it[n].mapped = mapped;
		it[n].rank = query_source_rank(r->source);
		n++;
	}
	if (n > 1)
		qsort(it, n, sizeof(*it), item_cmp);
	for (i = 0; i < n; i = j) {
		struct sellers_row *sr;
		size_t nd = 0;

		for (j = i + 1; j < n && !group_cmp(&it[i], &it[j]); j++)
			if (it[j].r->p.nanos != it[i].r->p.nanos)
				nd++;
		if ((flags & SELLERS_ONLY_DISAGREEMENTS) && !nd)
			continue;
		if (out->n == out->alloc) {
			size_t na = out->alloc ? 2 * out->alloc : 32;
			struct sellers_row *nv = realloc(out->v, na * sizeof(*nv));

			if (!nv)
				goto nomem;
			out->v = nv;
			out->alloc = na;
		}
		sr = &out->v[out->n++];
		memset(sr, 0, sizeof(*sr));
		sr->row = it[i].r;
		sr->canonical = it[i].canonical;
		if (nd) {
			size_t k;

			sr->disagree = calloc(nd, sizeof(*sr->disagree));
			if (!sr->disagree)
				goto nomem;
			for (k = i + 1; k < j; k++)
				if (it[k].r->p.nanos != it[i].r->p.nanos)
					sr->disagree[sr->n_disagree++] = it[k].r;
		}
	}
	/* Ratio to the cheapest row of the same dimension, tier, condition,
	 * currency and unit: only side by side (one model), else it means nothing. */
	for (i = 0; (flags & SELLERS_BY_PRICE) && i < out->n; i++) {
		int64_t min = out->v[i].row->p.nanos;

		for (j = 0; j < out->n; j++)
			if (same_market(&out->v[i].row->p, &out->v[j].row->p) && out->v[j].row->p.nanos < min)
				min = out->v[j].row->p.nanos;
		out->v[i].x_cheapest = min > 0 ? (double)out->v[i].row->p.nanos / (double)min : 0.0;
	}
	if ((flags & SELLERS_BY_PRICE) && out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), view_by_price_cmp);
	rc = (int)out->n;
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "sellers: out of memory");
out:
	free(it);
	return rc;
}

/* ---- rendering ---------------------------------------------------------- */

enum sellers_col {
	C_DIMENSION, C_TIER, C_CONDITION, C_SELLER, C_MODEL, C_REGION, C_PRICE, C_CURRENCY, C_UNIT,
	C_SOURCE, C_X, C_NOTE, C_COUNT
};

static const char *const sellers_titles[C_COUNT] = {
	"dimension", "tier", "condition", "seller", "model", "region", "price", "currency", "unit",
	"source", "x_cheapest", "note",
};

/* The note: "disagrees: litellm 3.00 (claude-sonnet-4-5); ..." */
static int note_text(const struct sellers_row *r, struct buf *b)
{
	char m[MONEY_FMT_MAX];
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < r->n_disagree; i++) {
		const struct price_row *d = r->disagree[i];

		rc = buf_addf(b, "%s%s says %s", i ? "; " : "disagrees: ", nz(d->source),
			      money_format(d->p.nanos, m, sizeof(m)));
		if (rc == 0 && strcmp(nz(d->p.model), nz(r->row->p.model)))
			rc = buf_addf(b, " for %s", nz(d->p.model));
		if (rc == 0)
			rc = buf_addf(b, " (since %s)", d->valid_from);
	}
	return rc;
}

/* Cell text of column c of row r; scratch buffers for money, ratio and note. */
static const char *cell(const struct sellers_row *r, enum sellers_col c, char *money, char *x,
			struct buf *note)
{
	const struct price *p = &r->row->p;

	switch (c) {
	case C_DIMENSION: return nz(p->dimension);
	case C_TIER: return nz(p->tier);
	case C_CONDITION: return nz(p->condition);
	case C_SELLER: return nz(p->provider);
	case C_MODEL: return nz(p->model);
	case C_REGION: return nz(p->region);
	case C_PRICE: return money_format(p->nanos, money, MONEY_FMT_MAX);
	case C_CURRENCY: return nz(p->currency);
	case C_UNIT: return nz(p->unit);
	case C_SOURCE: return nz(r->row->source);
	case C_X:
		if (r->x_cheapest <= 0.0)
			return "";
		snprintf(x, 32, "%.2f", r->x_cheapest);
		return x;
	case C_NOTE:
		buf_reset(note);
		if (note_text(r, note) < 0)
			return "";
		return note->buf ? note->buf : "";
	case C_COUNT: break;
	}
	return "";
}

static int csv_field(struct buf *b, const char *s)
{
	int rc = 0;

	if (!strpbrk(s, ",\"\r\n"))
		return buf_adds(b, s);
	rc = buf_addch(b, '"');
	for (; rc == 0 && *s; s++) {
		if (*s == '"')
			rc = buf_addch(b, '"');
		if (rc == 0)
			rc = buf_addch(b, *s);
	}
	return rc ? rc : buf_addch(b, '"');
}

static int render_json(const struct sellers_view *v, struct buf *out)
{
	char m[MONEY_FMT_MAX];
	size_t i, k;
	int rc = buf_adds(out, "[");

	for (i = 0; rc == 0 && i < v->n; i++) {
		const struct sellers_row *r = &v->v[i];
		const struct price *p = &r->row->p;
		const char *keys[] = { "provider", "model", "canonical", "dimension", "tier", "condition",
				       "region", "unit", "currency" };
		const char *vals[] = { p->provider, p->model, r->canonical, p->dimension, p->tier,
				       p->condition, p->region, p->unit, p->currency };

		rc = buf_adds(out, i ? ",\n {" : "\n {");
		for (k = 0; rc == 0 && k < TT_ARRAY_SIZE(keys); k++) {
			rc = buf_addf(out, "%s\"%s\": ", k ? ", " : "", keys[k]);
			if (rc == 0)
				rc = json_buf_add_string(out, nz(vals[k]));
		}
		if (rc == 0)
			rc = buf_addf(out, ", \"price\": \"%s\", \"valid_from\": \"%s\", \"first_seen\": \"%s\", "
				      "\"last_seen\": \"%s\", \"source\": ",
				      money_format(p->nanos, m, sizeof(m)), r->row->valid_from,
				      r->row->first_seen, r->row->last_seen);
		if (rc == 0)
			rc = json_buf_add_string(out, nz(r->row->source));
		if (rc == 0 && r->x_cheapest > 0.0)
			rc = buf_addf(out, ", \"x_cheapest\": %.4f", r->x_cheapest);
		else if (rc == 0)
			rc = buf_adds(out, ", \"x_cheapest\": null");
		if (rc == 0)
			rc = buf_adds(out, ", \"disagreements\": [");
		for (k = 0; rc == 0 && k < r->n_disagree; k++) {
			const struct price_row *d = r->disagree[k];

			rc = buf_adds(out, k ? ", {\"source\": " : "{\"source\": ");
			if (rc == 0)
				rc = json_buf_add_string(out, nz(d->source));
			if (rc == 0)
				rc = buf_adds(out, ", \"model\": ");
			if (rc == 0)
				rc = json_buf_add_string(out, nz(d->p.model));
			if (rc == 0)
				rc = buf_addf(out, ", \"price\": \"%s\", \"valid_from\": \"%s\"}",
					      money_format(d->p.nanos, m, sizeof(m)), d->valid_from);
		}
		if (rc == 0)
			rc = buf_adds(out, "]}");
	}
	if (rc == 0)
		rc = buf_adds(out, v->n ? "\n]\n" : "]\n");
	return rc;
}

static size_t text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

int sellers_render(const struct sellers_view *v, enum query_format fmt, struct buf *out)
{
	struct buf note = BUF_INIT;
	char money[MONEY_FMT_MAX], x[32];
	size_t width[C_COUNT], i;
	int shown[C_COUNT], rc = 0, c;

	if (fmt == QUERY_FORMAT_JSON)
		return render_json(v, out);
	if (fmt == QUERY_FORMAT_CSV) {
		for (c = 0; rc == 0 && c < C_COUNT; c++) {
			if (c)
				rc = buf_addch(out, ',');
			if (rc == 0)
				rc = buf_adds(out, sellers_titles[c]);
		}
		if (rc == 0)
			rc = buf_adds(out, "\r\n");
		for (i = 0; rc == 0 && i < v->n; i++) {
			for (c = 0; rc == 0 && c < C_COUNT; c++) {
				if (c)
					rc = buf_addch(out, ',');
				if (rc == 0)
					rc = csv_field(out, cell(&v->v[i], (enum sellers_col)c, money, x, &note));
			}
			if (rc == 0)
				rc = buf_adds(out, "\r\n");
		}
		buf_release(&note);
		return rc;
	}
	/* Table: columns with no value in any row (condition, region, note) are hidden. */
	for (c = 0; c < C_COUNT; c++) {
		width[c] = text_width(sellers_titles[c]);
		shown[c] = !(c == C_CONDITION || c == C_REGION || c == C_NOTE || c == C_X);
	}
	for (i = 0; i < v->n; i++)
		for (c = 0; c < C_COUNT; c++) {
			const char *t = cell(&v->v[i], (enum sellers_col)c, money, x, &note);
			size_t w = text_width(*t ? t : "-");

			if (*t)
				shown[c] = 1;
			if (w > width[c])
				width[c] = w;
		}
	for (i = 0; rc == 0 && i <= v->n; i++) {
		int first = 1, last_shown = -1;

		for (c = 0; c < C_COUNT; c++)
			if (shown[c])
				last_shown = c;
		for (c = 0; rc == 0 && c < C_COUNT; c++) {
			const char *t;
			int right = c == C_PRICE || c == C_X;
			size_t w, pad;

			if (!shown[c])
				continue;
			t = i ? cell(&v->v[i - 1], (enum sellers_col)c, money, x, &note) : sellers_titles[c];
			if (!*t)
				t = "-";
			w = text_width(t);
			pad = width[c] > w ? width[c] - w : 0;
			if (!first)
				rc = buf_adds(out, "  ");
			first = 0;
			while (rc == 0 && right && pad--)
				rc = buf_addch(out, ' ');
			for (; rc == 0 && *t; t++)
				rc = buf_addch(out, (unsigned char)*t < 0x20 || *t == 0x7f ? '?' : *t);
			while (rc == 0 && !right && c != last_shown && pad--)
				rc = buf_addch(out, ' ');
		}
		if (rc == 0)
			rc = buf_addch(out, '\n');
	}
	buf_release(&note);
	return rc;
}
