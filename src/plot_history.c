/*
 * plot_history.c - the price-history chart: several keys' list prices as
 * steps on one log axis, with their change points, one legend entry per
 * line; and choosing those lines from history rows (one per stored key,
 * or one per member of a catalog group).  See plot.h.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/plot.h"

#include "tokentrend/clock.h"
#include "tokentrend/money.h"
#include "tokentrend/series_mix.h"
#include "plot_int.h"

void plot_lines_release(struct plot_lines *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		series_release(&l->v[i].s);
		free(l->v[i].label);
	}
	free(l->v);
	buf_release(&l->note);
	free(l->what);
	free(l->dimension);
	free(l->tier);
	memset(l, 0, sizeof(*l));
	l->note = (struct buf)BUF_INIT;
}

static int str_eq0(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* A new line at the end of l (zeroed, series SERIES_INIT). */
static struct plot_line *plot_lines_push(struct plot_lines *l)
{
	struct plot_line *ln;

	if (l->n == l->alloc) {
		size_t na = l->alloc ? 2 * l->alloc : 16;
		struct plot_line *nv = realloc(l->v, na * sizeof(*nv));

		if (!nv)
			return NULL;
		l->v = nv;
		l->alloc = na;
	}
	ln = &l->v[l->n++];
	memset(ln, 0, sizeof(*ln));
	ln->s = (struct series)SERIES_INIT;
	return ln;
}

/* The value most rows of the chosen dimension and tier carry in a field
 * (currency or unit), preferring `want` when any row has it. */
static const char *plot_rows_pick(const struct price_rows *rows, const char *dim, const char *tier,
				  int unit, const char *want)
{
	const char *first = NULL;
	size_t i;

	for (i = 0; i < rows->n; i++) {
		const struct price *p = &rows->v[i].p;
		const char *v = unit ? p->unit : p->currency;

		if (!str_eq0(p->dimension, dim) || !str_eq0(p->tier, tier) || !v)
			continue;
		if (!strcmp(v, want))
			return want;
		if (!first)
			first = v;
	}
	return first ? first : want;
}

/* The date the key's last price stopped, when every row of the chosen
 * source is closed; "" while one is open. */
static void plot_key_end(const struct price_rows *rows, const struct series *s, char end[11])
{
	size_t i;

	end[0] = '\0';
	for (i = 0; i < rows->n; i++) {
		const struct price_row *r = &rows->v[i];
		const struct price *p = &r->p;

		if (!str_eq0(p->provider, s->provider) || !str_eq0(p->model, s->model) ||
		    !str_eq0(p->dimension, s->dimension) || !str_eq0(p->tier, s->tier) ||
		    !str_eq0(p->condition, s->condition) || !str_eq0(p->region, s->region) ||
		    !str_eq0(r->source, s->source))
			continue;
		if (!r->valid_to[0]) {
			end[0] = '\0';
			return;
		}
		if (strcmp(r->valid_to, end) > 0)
			memcpy(end, r->valid_to, 11);
	}
}

/* Which condition stands for a (provider, model, region) when the caller
 * named none: "" when there is an unconditioned price, else the lowest
 * single prompt band; NULL when neither. */
static const char *plot_pick_condition(const struct price_rows *rows, const struct price *k,
				       const char *dim, const char *tier)
{
	const char *best = NULL;
	int64_t best_n = -1;
	size_t i;

	for (i = 0; i < rows->n; i++) {
		const struct price *p = &rows->v[i].p;
		int64_t b;

		if (!str_eq0(p->provider, k->provider) || !str_eq0(p->model, k->model) ||
		    !str_eq0(p->region, k->region) || !str_eq0(p->dimension, dim) ||
		    !str_eq0(p->tier, tier))
			continue;
		if (!p->condition || !p->condition[0])
			return "";
		b = series_mix_lower_band(p->condition);
		if (b >= 0 && (best_n < 0 || b < best_n)) {
			best_n = b;
			best = p->condition;
		}
	}
	return best;
}

static int plot_lines_set_axis(struct plot_lines *l, const char *dim, const char *tier,
			       const char *unit, const char *currency)
{
	l->dimension = strdup(dim);
	l->tier = strdup(tier);
	if (!l->dimension || !l->tier)
		return TT_ENOMEM;
	snprintf(l->unit, sizeof(l->unit), "%s", unit);
	snprintf(l->currency, sizeof(l->currency), "%s", currency);
	return 0;
}

int plot_lines_from_rows(const struct price_rows *rows, const struct plot_lines_options *o,
			 struct plot_lines *out, struct tt_error *err)
{
	const char *dim = o && o->dimension ? o->dimension : "input";
	const char *tier = o && o->tier ? o->tier : "standard";
	const char *currency, *unit;
	size_t i, j, n_other_cur = 0, n_other_unit = 0, n_cond = 0, n_region = 0, n_free = 0;
	int rc = 0;

	currency = plot_rows_pick(rows, dim, tier, 0, o && o->currency ? o->currency : "USD");
	unit = plot_rows_pick(rows, dim, tier, 1, "1M tokens");
	if (plot_lines_set_axis(out, dim, tier, unit, currency) < 0)
		goto nomem;
	for (i = 0; i < rows->n; i++) {
		const struct price *p = &rows->v[i].p;
		struct series_selector sel;
		const char *cond;
		struct plot_line *ln;
		int seen = 0;

		if (!str_eq0(p->dimension, dim) || !str_eq0(p->tier, tier))
			continue;
		/* one line per (provider, model, condition, region): first row of each */
		for (j = 0; j < i && !seen; j++) {
			const struct price *q = &rows->v[j].p;

			seen = str_eq0(q->provider, p->provider) && str_eq0(q->model, p->model) &&
			       str_eq0(q->dimension, dim) && str_eq0(q->tier, tier) &&
			       str_eq0(q->condition, p->condition) && str_eq0(q->region, p->region) &&
			       str_eq0(q->currency, p->currency) && str_eq0(q->unit, p->unit);
		}
		if (seen)
			continue;
		if (!str_eq0(p->currency, currency)) {
			n_other_cur++;
			continue;
		}
		if (!str_eq0(p->unit, unit)) {
			n_other_unit++;
			continue;
		}
		if (o && o->region ? !str_eq0(p->region, o->region) : (p->region && p->region[0])) {
			n_region++;
			continue;
		}
		cond = o && o->condition ? o->condition : plot_pick_condition(rows, p, dim, tier);
		if (!cond || !str_eq0(p->condition, cond)) {
			n_cond++;
			continue;
		}
		memset(&sel, 0, sizeof(sel));
		sel.provider = p->provider;
		sel.model = p->model;
		sel.dimension = dim;
		sel.tier = tier;
		sel.condition = p->condition ? p->condition : "";
		sel.region = p->region ? p->region : "";
		sel.source = o ? o->source : NULL;
		sel.currency = currency;
		ln = plot_lines_push(out);
		if (!ln)
			goto nomem;
		rc = series_from_rows(rows, &sel, &ln->s, err);
		if (rc < 0)
			goto out;
		plot_key_end(rows, &ln->s, ln->end);
		for (j = 0; j < ln->s.n && ln->s.v[j].nanos; j++)
			;
		n_free += j < ln->s.n;
	}
	if (n_other_cur)
		rc |= buf_addf(&out->note, "%s%zu key%s in other currencies than %s left out", out->note.len ? "; " : "",
			       n_other_cur, n_other_cur == 1 ? "" : "s", currency);
	if (n_other_unit)
		rc |= buf_addf(&out->note, "%s%zu key%s in other units than per %s left out", out->note.len ? "; " : "",
			       n_other_unit, n_other_unit == 1 ? "" : "s", unit);
	if (n_region)
		rc |= buf_addf(&out->note, "%s%zu regional key%s left out (--region R draws one region)",
			       out->note.len ? "; " : "", n_region, n_region == 1 ? "" : "s");
	if (n_cond)
		rc |= buf_addf(&out->note, "%s%zu conditioned key%s left out (upper prompt bands, modalities, "
					   "hours: --condition C draws one)",
			       out->note.len ? "; " : "", n_cond, n_cond == 1 ? "" : "s");
	if (n_free)
		rc |= buf_addf(&out->note, "%s%zu line%s free (0) at times: not drawn there (log axis)",
			       out->note.len ? "; " : "", n_free, n_free == 1 ? "" : "s");
	if (rc < 0)
		goto nomem;
	rc = (int)out->n;
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "plot: out of memory");
out:
	return rc;
}

int plot_lines_group(const struct price_rows *rows, const struct models *cat, const char *group,
		     const struct plot_lines_options *o, struct plot_lines *out, struct tt_error *err)
{
	const char *dim = o && o->dimension ? o->dimension : "input";
	const char *tier = o && o->tier ? o->tier : "standard";
	const char *currency = o && o->currency ? o->currency : "USD";
	const struct models_group *g = models_group_find(cat, group);
	struct series_group_options go;
	size_t i, n_none = 0;
	int rc;

	if (!g) {
		struct buf all = BUF_INIT;

		for (i = 0; i < cat->n_groups; i++)
			buf_addf(&all, "%s%s", i ? ", " : "", cat->groups[i].name);
		rc = tt_set_error(err, TT_ENOTFOUND, "no group '%s' in the model catalog (groups: %s)",
				  group, all.len ? all.buf : "none");
		buf_release(&all);
		return rc;
	}
	if (plot_lines_set_axis(out, dim, tier, "1M tokens", currency) < 0)
		return tt_set_error(err, TT_ENOMEM, "plot: out of memory");
	memset(&go, 0, sizeof(go));
	go.dimension = dim;
	go.tier = tier;
	go.currency = currency;
	go.provider = o ? o->provider : NULL;
	go.source = o ? o->source : NULL;
	go.all_sellers = o ? o->all_sellers : 0;
	for (i = 0; i < g->n_members; i++) {
		/* the group rules for one member: a view of the catalog whose only
		 * group is this member alone (the catalog's names and makers stay) */
		struct models view = *cat;
		struct models_group one;
		struct tt_error e2 = { 0 };
		struct plot_line *ln;
		char *member = g->members[i];

		memset(&one, 0, sizeof(one));
		one.name = member;
		one.about = (char *)"";
		one.members = &member;
		one.n_members = 1;
		view.groups = &one;
		view.n_groups = 1;
		ln = plot_lines_push(out);
		if (!ln)
			return tt_set_error(err, TT_ENOMEM, "plot: out of memory");
		rc = series_group_from_rows(rows, &view, member, &go, &ln->s, NULL, &e2);
		if (rc == TT_ENOTFOUND) {
			series_release(&ln->s);
			out->n--;
			n_none++;
			continue;
		}
		if (rc < 0) {
			*err = e2;
			return rc;
		}
		ln->label = strdup(member);
		if (!ln->label)
			return tt_set_error(err, TT_ENOMEM, "plot: out of memory");
	}
	if (n_none &&
	    buf_addf(&out->note, "%zu of %zu members without a %s %s price in %s%s%s", n_none,
		     g->n_members, dim, tier, currency, go.provider ? " at " : "",
		     go.provider ? go.provider : go.all_sellers ? " at any seller" : " at their makers") < 0)
		return tt_set_error(err, TT_ENOMEM, "plot: out of memory");
	if (!out->n)
		return tt_set_error(err, TT_ENOTFOUND, "no member of group '%s' has a %s %s price in %s%s%s",
				    group, dim, tier, currency, go.provider ? " at " : "",
				    go.provider ? go.provider : "");
	return (int)out->n;
}

/* ---- the chart ---- */

/* Last priced value of a line (0 when none), for the legend order. */
static double plot_line_last(const struct plot_line *ln)
{
	size_t i;

	for (i = ln->s.n; i > 0; i--)
		if (ln->s.v[i - 1].nanos > 0)
			return ln->s.v[i - 1].price;
	return 0.0;
}

static int plot_line_cmp(const void *a, const void *b)
{
	const struct plot_line *x = *(const struct plot_line *const *)a;
	const struct plot_line *y = *(const struct plot_line *const *)b;
	double vx = plot_line_last(x), vy = plot_line_last(y);

	if (vx != vy)
		return vx < vy ? 1 : -1;
	return strcmp(x->label ? x->label : "", y->label ? y->label : "");
}

/* The legend text: the label, else provider/model (the model alone when
 * every line has the same provider), with condition and region. */
static int plot_line_label(const struct plot_lines *l, const struct plot_line *ln, int one_provider,
			   struct buf *t)
{
	int rc = 0;

	(void)l;
	if (ln->label)
		return buf_adds(t, ln->label);
	if (!one_provider)
		rc |= buf_addf(t, "%s/", ln->s.provider);
	rc |= buf_adds(t, ln->s.model);
	if (ln->s.condition && ln->s.condition[0])
		rc |= buf_addf(t, " (%s)", ln->s.condition);
	if (ln->s.region && ln->s.region[0])
		rc |= buf_addf(t, " [%s]", ln->s.region);
	return rc;
}

/* The lowest and highest priced values drawn between x0 and x1; 0 when none. */
static int plot_lines_yrange(const struct plot_lines *l, int64_t x0, int64_t x1, double *lo, double *hi)
{
	size_t i, j;
	int any = 0;

	for (i = 0; i < l->n; i++) {
		const struct series *s = &l->v[i].s;

		for (j = 0; j < s->n; j++) {
			int64_t next = j + 1 < s->n ? s->v[j + 1].day : x1;

			if (s->v[j].nanos <= 0 || next <= x0 || s->v[j].day >= x1)
				continue;
			if (!any || s->v[j].price < *lo)
				*lo = s->v[j].price;
			if (!any || s->v[j].price > *hi)
				*hi = s->v[j].price;
			any = 1;
		}
	}
	return any;
}

/* One data block: the steps of a line within [x0, x1]: date price change. */
static int plot_line_data(const struct plot_line *ln, int64_t x0, int64_t x1, struct buf *d)
{
	char pb[MONEY_FMT_MAX] = "", ds[11];
	int64_t end = x1, last = -1;
	size_t i;
	int rc = 0, open = 0;

	if (ln->end[0] && date_parse(ln->end, &end) == 0 && end > x1)
		end = x1;
	for (i = 0; i < ln->s.n; i++) {
		const struct series_point *p = &ln->s.v[i];
		int64_t next = i + 1 < ln->s.n ? ln->s.v[i + 1].day : end;
		int64_t day = p->day < x0 ? x0 : p->day;

		if (next <= x0 || p->day >= end)
			continue; /* wholly before the range, or after the line ended */
		if (p->nanos == 0) {
			if (open) /* end the step where it went free, then a gap */
				rc |= buf_addf(d, "%s %s 0\n\n", date_format(day, ds), pb);
			rc |= buf_addf(d, "# %s 0 (free: not drawn on a log axis)\n", date_format(day, ds));
			open = 0;
			last = -1;
			continue;
		}
		money_format(p->nanos, pb, sizeof(pb));
		rc |= buf_addf(d, "%s %s %d\n", date_format(day, ds), pb, p->day >= x0);
		open = 1;
		last = day;
	}
	if (open && last >= 0 && end > last)
		rc |= buf_addf(d, "%s %s 0\n", date_format(end, ds), pb);
	return rc;
}

int plot_history(const struct plot_lines *l, const struct plot_history_options *ho,
		 const struct plot_options *o, struct plot_files *files, struct tt_error *err)
{
	struct buf data = BUF_INIT, g = BUF_INIT, t = BUF_INIT, def = BUF_INIT;
	struct plot_out po = PLOT_OUT_INIT;
	const struct plot_line **order = NULL;
	size_t i, max = ho && ho->max_lines ? ho->max_lines : PLOT_HISTORY_MAX_LINES;
	int64_t x0 = INT64_MAX, x1;
	char today[11], d0[11], d1[11];
	const char *as_of = ho && ho->as_of ? ho->as_of : clock_today(today);
	int rc = 0, one_provider = 1, nl = 0, n_changes = 0;
	double ylo, yhi;

	if (!l->n)
		return tt_set_error(err, TT_ENOTFOUND, "nothing to plot: no price history matches");
	if (l->n > max)
		return tt_set_error(err, TT_EINVAL, "%zu series match; one chart shows at most %zu", l->n, max);
	if (date_parse(as_of, &x1) < 0)
		return tt_set_error(err, TT_EINVAL, "plot: bad as-of date '%s'", as_of);
	if (ho && ho->until && ho->until[0] && date_parse(ho->until, &x1) < 0)
		return tt_set_error(err, TT_EINVAL, "plot: bad --until date '%s'", ho->until);
	if (ho && ho->since && ho->since[0]) {
		if (date_parse(ho->since, &x0) < 0)
			return tt_set_error(err, TT_EINVAL, "plot: bad --since date '%s'", ho->since);
	} else {
		for (i = 0; i < l->n; i++)
			if (l->v[i].s.n && l->v[i].s.v[0].day < x0)
				x0 = l->v[i].s.v[0].day;
	}
	if (x0 == INT64_MAX || x0 >= x1)
		return tt_set_error(err, TT_EINVAL, "plot: nothing to draw between %s and %s",
				    x0 == INT64_MAX ? "-" : date_format(x0, d0), date_format(x1, d1));
	order = calloc(l->n, sizeof(*order));
	if (!order)
		goto nomem;
	for (i = 0; i < l->n; i++) {
		order[i] = &l->v[i];
		if (strcmp(l->v[i].s.provider ? l->v[i].s.provider : "", l->v[0].s.provider ? l->v[0].s.provider : ""))
			one_provider = 0;
	}
	qsort(order, l->n, sizeof(*order), plot_line_cmp);

	rc = buf_adds(&def, "plots/");
	rc |= plot_add_safe_name(&def, l->what && l->what[0] ? l->what : "prices");
	rc |= buf_addf(&def, "-%s-history.png", l->dimension ? l->dimension : "input");
	if (rc < 0)
		goto nomem;
	rc = plot_begin(o, def.buf, files, &po, err);
	if (rc < 0)
		goto out;

	/* data: one block per line, in legend order */
	rc |= buf_addf(&data, "# tokentrend price history: %s price, %s tier, %s per %s; %s .. %s\n",
		       l->dimension, l->tier, l->currency, l->unit, date_format(x0, d0), date_format(x1, d1));
	rc |= buf_adds(&data, "# one block per line (gnuplot index N): date price change\n"
			      "# price: the exact stored decimal in force from that date; change: 1 on a change\n"
			      "# point, 0 on a row that only carries the price to the range's edge or to where\n"
			      "# the line ends (a removed model); a blank line is a gap (a free period)\n");
	for (i = 0; i < l->n; i++) {
		const struct plot_line *ln = order[i];

		rc |= buf_addf(&data, "\n\n# block %zu (index %zu): ", i, i);
		buf_reset(&t);
		rc |= plot_line_label(l, ln, one_provider, &t);
		rc |= plot_add_comment(&data, t.buf);
		rc |= buf_addf(&data, " (source %s)\n", ln->s.source && ln->s.source[0] ? ln->s.source : "-");
		rc |= plot_line_data(ln, x0, x1, &data);
		n_changes += (int)ln->s.n;
	}

	/* script */
	buf_reset(&t);
	rc |= buf_addf(&t, "price history: %s", l->what && l->what[0] ? l->what : "prices");
	rc |= plot_add_header(&g, t.buf, &po);
	buf_reset(&t);
	rc |= buf_addf(&t, "List prices over time: %s", l->what && l->what[0] ? l->what : "selected models");
	if (one_provider && !(l->what && strstr(l->what, l->v[0].s.provider)))
		rc |= buf_addf(&t, " at %s", l->v[0].s.provider);
	rc |= buf_addf(&t, "\n%s price, %s tier  \xc2\xb7  %zu line%s  \xc2\xb7  %s .. %s", l->dimension,
		       l->tier, l->n, l->n == 1 ? "" : "s", d0, d1);
	rc |= buf_adds(&g, "set title ");
	rc |= plot_quote_lines(t.buf, 0, &g, NULL);
	rc |= buf_adds(&g, " font ',13'\n");
	buf_reset(&t);
	rc |= buf_addf(&t, "%s per %s (log scale)", l->currency, l->unit);
	rc |= buf_adds(&g, "set ylabel ");
	rc |= plot_quote(t.buf, &g);
	rc |= buf_adds(&g, "\nset xlabel 'date'\n"
			   "set xdata time\nset timefmt '%Y-%m-%d'\n"
			   "set logscale y\nset format y '%g'\nset mytics 10\n"
			   "set grid xtics ytics lc rgb '#e4e4e4'\n"
			   "set key outside right top vertical Left reverse samplen 2.5 spacing 1.15 width 2 font ',10'\n"
			   "set border 3\nset tics nomirror\nset lmargin 12\n");
	rc |= buf_addf(&g, "set xrange ['%s':'%s']\nset format x '%s'\n", d0, d1, plot_date_fmt(d0, d1));
	if (plot_lines_yrange(l, x0, x1, &ylo, &yhi)) {
		/* tight around the prices drawn, with room for the markers */
		char a[48], b[48];

		rc |= buf_addf(&g, "set yrange [%s:%s]\n", forecast_fmt_num(ylo / 1.6, 6, a, sizeof(a)),
			       forecast_fmt_num(yhi * 1.6, 6, b, sizeof(b)));
		rc |= plot_add_log_ytics(&g, ylo / 1.6, yhi * 1.6);
	}
	buf_reset(&t);
	rc |= buf_adds(&t, "Steps: a list price holds until the next change; dots: change points; a line stops "
			   "where its model was removed. Legend in order of the latest price. Sources: ");
	for (i = 0; i < l->n; i++) {
		const char *src = order[i]->s.source && order[i]->s.source[0] ? order[i]->s.source : "-";
		size_t k;
		int dup = 0;

		for (k = 0; k < i && !dup; k++)
			dup = str_eq0(order[k]->s.source && order[k]->s.source[0] ? order[k]->s.source : "-", src);
		if (!dup)
			rc |= buf_addf(&t, "%s%s", i ? ", " : "", src);
	}
	rc |= buf_addch(&t, '.');
	if (l->note.len)
		rc |= buf_addf(&t, "\nLeft out: %s.", l->note.buf);
	rc |= buf_adds(&g, "set label 1 ");
	rc |= plot_quote_lines(t.buf, (size_t)(po.width - 40) / 7, &g, &nl);
	rc |= buf_addf(&g, " at screen 0.012, character %.2f left font ',10' tc rgb '#444444'\n"
			   "set bmargin %.2f\n", 0.2 + 0.95 * nl, 4.4 + 0.95 * nl);
	rc |= buf_adds(&g, "plot \\\n");
	for (i = 0; i < l->n; i++) {
		const char *color = plot_colors[i % PLOT_N_COLORS];
		int dt = i < PLOT_N_COLORS ? 1 : 2 + (int)(i / PLOT_N_COLORS) % 3;
		static const int pts[] = { 7, 5, 9, 11, 13, 15 };

		rc |= buf_adds(&g, i ? ", \\\n  ''" : "  ");
		if (!i)
			rc |= plot_quote(po.abs_data, &g);
		rc |= buf_addf(&g, " index %zu using 1:2 with steps lw 2 dt %d lc rgb '%s' notitle, \\\n", i, dt, color);
		rc |= buf_addf(&g, "  '' index %zu using 1:($3 > 0 ? $2 : NaN) with points pt %d ps 1.0 "
				   "lc rgb '%s' notitle, \\\n", i, pts[(i / 2) % TT_ARRAY_SIZE(pts)], color);
		rc |= buf_addf(&g, "  keyentry with linespoints lw 2 dt %d pt %d ps 1.0 lc rgb '%s' title ",
			       dt, pts[(i / 2) % TT_ARRAY_SIZE(pts)], color);
		buf_reset(&t);
		rc |= plot_line_label(l, order[i], one_provider, &t);
		rc |= plot_quote(t.buf, &g);
	}
	rc |= buf_adds(&g, "\nunset output\n");
	(void)n_changes;
	if (rc < 0)
		goto nomem;
	rc = plot_finish(o, files, &data, &g, err);
	goto out;
nomem:
	rc = tt_set_error(err, TT_ENOMEM, "plot: out of memory");
out:
	free(order);
	plot_out_release(&po);
	buf_release(&data);
	buf_release(&g);
	buf_release(&t);
	buf_release(&def);
	return rc;
}
