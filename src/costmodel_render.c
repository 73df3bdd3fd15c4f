/*
 * costmodel_render.c - the cost model's results as tables for people and
 * JSON for scripts (costmodel.h).  Exact figures are printed as exact
 * decimals (JSON strings, like prices); projections are doubles and are
 * labelled as estimates.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/costmodel.h"

#include "costmodel_int.h"
#include "tokentrend/json.h"
#include "tokentrend/money.h"

char *costmodel_fmt_money(int64_t nanos, char *out, size_t outlen)
{
	char tmp[MONEY_FMT_MAX];

	snprintf(out, outlen, "%s", money_format(nanos, tmp, sizeof(tmp)));
	return out;
}

char *costmodel_fmt_share(int64_t ppb, char *out, size_t outlen)
{
	char tmp[MONEY_FMT_MAX];
	size_t n;

	/* ppb x 100 read as nano-units is the percent, exact to 1e-7 % */
	snprintf(out, outlen, "%s", money_format(ppb * 100, tmp, sizeof(tmp)));
	n = strlen(out);
	while (n > 0 && out[n - 1] == '0')
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
	return out;
}

#define M(x) costmodel_fmt_money((x), (char[48]){ 0 }, 48)
#define S(x) costmodel_fmt_share((x), (char[48]){ 0 }, 48)

static const char *origin_of(const struct costmodel *cm)
{
	return cm->p->origin ? cm->p->origin : "the profile";
}

/* Tokens with thousands separators: 96,000,000. */
static char *fmt_tokens(int64_t v, char *out, size_t outlen)
{
	char raw[32];
	size_t n, i, o = 0;

	snprintf(raw, sizeof(raw), "%" PRId64, v);
	n = strlen(raw);
	for (i = 0; i < n && o + 2 < outlen; i++) {
		if (i && raw[i - 1] != '-' && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = raw[i];
	}
	out[o] = '\0';
	return out;
}

#define TOK(x) fmt_tokens((x), (char[40]){ 0 }, 40)

static const char *line_note(unsigned flags)
{
	if ((flags & COSTMODEL_AT_INPUT_PRICE) && (flags & COSTMODEL_BATCH_AS_STANDARD))
		return "at the standard input price (no price of its own, no batch price)";
	if (flags & COSTMODEL_AT_INPUT_PRICE)
		return "at the input price (no price of its own)";
	if (flags & COSTMODEL_BATCH_AS_STANDARD)
		return "at the standard price (no batch price)";
	return "";
}

static int jstr(struct buf *b, const char *s)
{
	return json_buf_add_string(b, s ? s : "");
}

static int jmoney(struct buf *b, int64_t nanos)
{
	return buf_addf(b, "\"%s\"", M(nanos));
}

static int jnum(struct buf *b, double v)
{
	if (!isfinite(v))
		return buf_adds(b, "null");
	return buf_addf(b, "%.10g", v);
}

/* ---- lines of a bill ---- */

static int render_lines_table(const struct costmodel_bill *bill, struct buf *out)
{
	size_t i;
	int rc = 0;

	rc |= buf_addf(out, "  %-34s %-12s %-9s %16s %12s %16s  %s\n", "MODEL", "DIMENSION", "TIER",
		       "TOKENS/MONTH", "PRICE/1M", "COST", "PRICE FROM");
	for (i = 0; i < bill->n_lines; i++) {
		const struct costmodel_line *l = &bill->lines[i];
		char who[200];

		snprintf(who, sizeof(who), "%s/%s", l->provider, l->model);
		rc |= buf_addf(out, "  %-34s %-12s %-9s %16s %12s %16s  %s %s%s%s%s%s%s\n", who,
			       l->dimension, l->tier, TOK(l->tokens), M(l->price_nanos),
			       M(l->cost_nanos), l->source, l->valid_from,
			       strcmp(l->priced_as, l->model) ? " as " : "",
			       strcmp(l->priced_as, l->model) ? l->priced_as : "",
			       l->condition[0] ? " " : "", l->condition,
			       l->flags & ~(unsigned)COSTMODEL_BAND ? "; " : "");
		if (l->flags & ~(unsigned)COSTMODEL_BAND) {
			out->len--; /* the newline */
			out->buf[out->len] = '\0';
			rc |= buf_addf(out, "%s\n", line_note(l->flags));
		}
	}
	return rc ? TT_ENOMEM : 0;
}

static int render_lines_json(const struct costmodel_bill *bill, struct buf *out)
{
	size_t i;
	int rc = 0;

	rc |= buf_adds(out, "[");
	for (i = 0; i < bill->n_lines; i++) {
		const struct costmodel_line *l = &bill->lines[i];

		rc |= buf_adds(out, i ? ",\n    {" : "\n    {");
		rc |= buf_adds(out, "\"provider\": ");
		rc |= jstr(out, l->provider);
		rc |= buf_adds(out, ", \"model\": ");
		rc |= jstr(out, l->model);
		rc |= buf_adds(out, ", \"priced_as\": ");
		rc |= jstr(out, l->priced_as);
		rc |= buf_adds(out, ", \"dimension\": ");
		rc |= jstr(out, l->dimension);
		rc |= buf_adds(out, ", \"tier\": ");
		rc |= jstr(out, l->tier);
		rc |= buf_adds(out, ", \"price_dimension\": ");
		rc |= jstr(out, l->price_dimension);
		rc |= buf_adds(out, ", \"price_tier\": ");
		rc |= jstr(out, l->price_tier);
		rc |= buf_adds(out, ", \"condition\": ");
		rc |= jstr(out, l->condition);
		rc |= buf_addf(out, ", \"tokens\": %" PRId64 ", \"price_per_1m\": ", l->tokens);
		rc |= jmoney(out, l->price_nanos);
		rc |= buf_adds(out, ", \"cost\": ");
		rc |= jmoney(out, l->cost_nanos);
		rc |= buf_adds(out, ", \"source\": ");
		rc |= jstr(out, l->source);
		rc |= buf_addf(out, ", \"valid_from\": \"%s\", \"note\": ", l->valid_from);
		rc |= jstr(out, line_note(l->flags));
		rc |= buf_adds(out, "}");
	}
	rc |= buf_adds(out, bill->n_lines ? "\n  ]" : "]");
	return rc ? TT_ENOMEM : 0;
}

/* ---- breakdown ---- */

static const char *rounding_note =
	"exact: tokens x price per 1M / 1e6 in integers, rounded half to even to 1e-9 once per figure";

int costmodel_render_breakdown(const struct costmodel *cm, const struct costmodel_breakdown *b,
			       int json, struct buf *out)
{
	const struct profile *p = cm->p;
	static const char *const lname[COSTMODEL_N_LAYERS] = { "api", "silent", "infrastructure",
								"engineering" };
	int rc = 0, i;

	if (json) {
		rc |= buf_adds(out, "{\n  \"profile\": ");
		rc |= jstr(out, p->origin);
		rc |= buf_addf(out, ",\n  \"as_of\": \"%s\",\n  \"currency\": \"%s\",\n  \"lines\": ",
			       cm->as_of, cm->currency);
		rc |= render_lines_json(&b->bill, out);
		rc |= buf_addf(out, ",\n  \"tokens_per_month\": %" PRId64 ",\n  \"blend_per_1m\": ",
			       b->bill.tokens);
		rc |= jmoney(out, b->bill.blend_nanos);
		rc |= buf_adds(out, ",\n  \"layers\": {");
		for (i = 0; i < COSTMODEL_N_LAYERS; i++) {
			rc |= buf_addf(out, "%s\n    \"%s\": {\"monthly\": ", i ? "," : "", lname[i]);
			rc |= jmoney(out, b->layer_nanos[i]);
			rc |= buf_addf(out, ", \"share_percent\": \"%s\"}", S(b->layer_share_ppb[i]));
		}
		rc |= buf_adds(out, "\n  },\n  \"total\": ");
		rc |= jmoney(out, b->total_nanos);
		rc |= buf_adds(out, ",\n  \"api_bill\": ");
		rc |= jmoney(out, b->bill.bill_nanos);
		rc |= buf_adds(out, ",\n  \"api_bill_share_of_engineering_percent\": ");
		if (b->bill_engineering_ppb < 0)
			rc |= buf_adds(out, "null");
		else
			rc |= buf_addf(out, "\"%s\"", S(b->bill_engineering_ppb));
		rc |= buf_addf(out, ",\n  \"threshold_share_percent\": \"%s\",\n  \"threshold\": ",
			       S(b->threshold_ppb));
		rc |= jmoney(out, b->threshold_nanos);
		rc |= buf_addf(out, ",\n  \"already_below\": %s,\n  \"engineering_written\": ",
			       b->below ? "true" : "false");
		rc |= buf_addf(out, "{\"amount\": \"%s\", \"currency\": \"%s\"}", M(cm->engineering_written),
			       cm->engineering_currency);
		rc |= buf_adds(out, ",\n  \"rounding\": ");
		rc |= jstr(out, rounding_note);
		rc |= buf_adds(out, ",\n  \"notes\": ");
		rc |= jstr(out, cm->notes);
		rc |= buf_adds(out, "\n}\n");
		return rc ? TT_ENOMEM : 0;
	}

	rc |= buf_addf(out, "Monthly cost of %s as of %s, in %s\n", origin_of(cm), cm->as_of,
		       cm->currency);
	rc |= buf_addf(out, "(%s)\n\n", rounding_note);
	rc |= buf_addf(out, "API: %s tokens per month, %s per 1M tokens of this mix\n",
		       TOK(b->bill.tokens), M(b->bill.blend_nanos));
	rc |= render_lines_table(&b->bill, out);
	rc |= buf_addf(out, "  %-34s %-12s %-9s %16s %12s %16s\n\n", "api", "", "", TOK(b->bill.tokens), "",
		       M(b->bill.api_nanos));
	rc |= buf_addf(out, "%-16s %18s %12s  %s\n", "LAYER", "PER MONTH", "SHARE", "HOW");
	rc |= buf_addf(out, "%-16s %18s %11s%%  %s\n", "api", M(b->layer_nanos[COSTMODEL_API]),
		       S(b->layer_share_ppb[COSTMODEL_API]), "sum of the lines above");
	rc |= buf_addf(out, "%-16s %18s %11s%%  api x silent_share %s%%\n", "silent",
		       M(b->layer_nanos[COSTMODEL_SILENT]), S(b->layer_share_ppb[COSTMODEL_SILENT]),
		       S(p->silent_share));
	rc |= buf_addf(out, "%-16s %18s %11s%%  %s\n", "infrastructure",
		       M(b->layer_nanos[COSTMODEL_INFRASTRUCTURE]),
		       S(b->layer_share_ppb[COSTMODEL_INFRASTRUCTURE]), "from the profile");
	if (p->engineering_from != PROFILE_ENG_MONTHLY && (p->engineering_hours || p->engineering_rate.nanos))
		rc |= buf_addf(out, "%-16s %18s %11s%%  %s h x %s %s per hour%s%s%s%s\n", "engineering",
			       M(b->layer_nanos[COSTMODEL_ENGINEERING]),
			       S(b->layer_share_ppb[COSTMODEL_ENGINEERING]),
			       M(p->engineering_hours), M(p->engineering_rate.nanos),
			       p->engineering_rate.currency,
			       strcmp(cm->engineering_currency, cm->currency) ? " = " : "",
			       strcmp(cm->engineering_currency, cm->currency) ? M(cm->engineering_written) : "",
			       strcmp(cm->engineering_currency, cm->currency) ? " " : "",
			       strcmp(cm->engineering_currency, cm->currency) ? cm->engineering_currency : "");
	else
		rc |= buf_addf(out, "%-16s %18s %11s%%  %s %s per month%s\n", "engineering",
			       M(b->layer_nanos[COSTMODEL_ENGINEERING]),
			       S(b->layer_share_ppb[COSTMODEL_ENGINEERING]), M(cm->engineering_written),
			       cm->engineering_currency,
			       p->engineering_from == PROFILE_ENG_DEFAULT ? " (the default)" : "");
	rc |= buf_addf(out, "%-16s %18s %11s%%\n\n", "total", M(b->total_nanos), "100");
	if (b->bill_engineering_ppb < 0)
		rc |= buf_addf(out, "API bill (api + silent) %s; no engineering cost to compare with.\n",
			       M(b->bill.bill_nanos));
	else
		rc |= buf_addf(out,
			       "API bill (api + silent) %s = %s%% of engineering; threshold %s%% = %s: %s\n",
			       M(b->bill.bill_nanos), S(b->bill_engineering_ppb), S(b->threshold_ppb),
			       M(b->threshold_nanos),
			       b->below ? "already below" : "above (see cost --project for when)");
	if (cm->notes[0])
		rc |= buf_addf(out, "note: %s\n", cm->notes);
	return rc ? TT_ENOMEM : 0;
}

/* ---- history ---- */

int costmodel_render_history(const struct costmodel *cm, const struct costmodel_history *h,
			     int json, struct buf *out)
{
	size_t i;
	int rc = 0;
	int64_t eng = cm->engineering_nanos;

	if (json) {
		rc |= buf_adds(out, "{\n  \"profile\": ");
		rc |= jstr(out, cm->p->origin);
		rc |= buf_addf(out, ",\n  \"as_of\": \"%s\",\n  \"currency\": \"%s\",\n  \"engineering_today\": ",
			       cm->as_of, cm->currency);
		rc |= jmoney(out, eng);
		rc |= buf_addf(out, ",\n  \"unpriced_dates\": %zu,\n  \"points\": [", h->n_unpriced);
		for (i = 0; i < h->n; i++) {
			const struct costmodel_bill *b = &h->v[i];

			rc |= buf_addf(out, "%s\n    {\"date\": \"%s\", \"api\": ", i ? "," : "", b->date);
			rc |= jmoney(out, b->api_nanos);
			rc |= buf_adds(out, ", \"silent\": ");
			rc |= jmoney(out, b->silent_nanos);
			rc |= buf_adds(out, ", \"api_bill\": ");
			rc |= jmoney(out, b->bill_nanos);
			rc |= buf_adds(out, ", \"blend_per_1m\": ");
			rc |= jmoney(out, b->blend_nanos);
			rc |= buf_adds(out, ", \"share_of_engineering_today_percent\": ");
			if (eng > 0)
				rc |= buf_addf(out, "\"%s\"",
					       S(cm_div_half_even((__int128)b->bill_nanos * PROFILE_PPB, eng)));
			else
				rc |= buf_adds(out, "null");
			rc |= buf_adds(out, ", \"lines\": ");
			rc |= render_lines_json(b, out);
			rc |= buf_adds(out, "}");
		}
		rc |= buf_adds(out, "\n  ]\n}\n");
		return rc ? TT_ENOMEM : 0;
	}
	rc |= buf_addf(out, "The workload of %s priced on every date its prices changed, up to %s (%s per month, exact)\n",
		       origin_of(cm), cm->as_of, cm->currency);
	rc |= buf_addf(out, "%-10s  %16s  %14s  %16s  %14s  %s\n", "DATE", "API", "SILENT", "API BILL",
		       "PER 1M MIX", "% OF TODAY'S ENGINEERING");
	for (i = 0; i < h->n; i++) {
		const struct costmodel_bill *b = &h->v[i];

		rc |= buf_addf(out, "%-10s  %16s  %14s  %16s  %14s  %s%%\n", b->date, M(b->api_nanos),
			       M(b->silent_nanos), M(b->bill_nanos), M(b->blend_nanos),
			       eng > 0 ? S(cm_div_half_even((__int128)b->bill_nanos * PROFILE_PPB, eng)) : "-");
	}
	if (h->n_unpriced)
		rc |= buf_addf(out, "(%zu change date%s left out where a dimension had no price yet, the first %s)\n",
			       h->n_unpriced, h->n_unpriced == 1 ? "" : "s", h->first_unpriced);
	return rc ? TT_ENOMEM : 0;
}

/* ---- side by side ---- */

int costmodel_render_compare(const struct costmodel *cm, const struct costmodel_compare *c,
			     int json, struct buf *out)
{
	size_t i;
	int rc = 0;

	if (json) {
		rc |= buf_adds(out, "{\n  \"profile\": ");
		rc |= jstr(out, cm->p->origin);
		rc |= buf_addf(out, ",\n  \"as_of\": \"%s\",\n  \"currency\": \"%s\",\n  \"cheapest\": ",
			       cm->as_of, cm->currency);
		rc |= jstr(out, c->v[c->cheapest].bill.label);
		rc |= buf_adds(out, ",\n  \"models\": [");
		for (i = 0; i < c->n; i++) {
			const struct costmodel_compare_row *r = &c->v[i];

			rc |= buf_adds(out, i ? ",\n    {\"model\": " : "\n    {\"model\": ");
			rc |= jstr(out, r->bill.label);
			rc |= buf_adds(out, ", \"canonical\": ");
			rc |= jstr(out, r->canonical);
			rc |= buf_addf(out, ", \"priced\": %s", r->priced ? "true" : "false");
			if (!r->priced) {
				rc |= buf_adds(out, ", \"reason\": ");
				rc |= jstr(out, r->reason);
				rc |= buf_adds(out, "}");
				continue;
			}
			rc |= buf_adds(out, ", \"api\": ");
			rc |= jmoney(out, r->bill.api_nanos);
			rc |= buf_adds(out, ", \"api_bill\": ");
			rc |= jmoney(out, r->bill.bill_nanos);
			rc |= buf_adds(out, ", \"blend_per_1m\": ");
			rc |= jmoney(out, r->bill.blend_nanos);
			rc |= buf_adds(out, ", \"system\": ");
			rc |= jmoney(out, r->system_nanos);
			rc |= buf_adds(out, ", \"cost_ratio\": ");
			rc |= jnum(out, r->cost_ratio);
			rc |= buf_adds(out, ", \"quality_ratio_needed\": ");
			rc |= jnum(out, r->quality_ratio_needed);
			rc |= buf_adds(out, ", \"system_ratio\": ");
			rc |= jnum(out, r->system_ratio);
			rc |= buf_adds(out, "}");
		}
		rc |= buf_adds(out, "\n  ]\n}\n");
		return rc ? TT_ENOMEM : 0;
	}
	rc |= buf_addf(out, "The workload of %s on each model, as of %s (%s per month, exact)\n",
		       origin_of(cm), cm->as_of, cm->currency);
	rc |= buf_addf(out, "%-44s %14s %12s %9s %14s %16s %9s\n", "MODEL", "API BILL", "PER 1M MIX",
		       "x CHEAP", "MUST BE x BETTER", "WHOLE SYSTEM", "x SYSTEM");
	for (i = 0; i < c->n; i++) {
		const struct costmodel_compare_row *r = &c->v[i];

		if (!r->priced) {
			rc |= buf_addf(out, "%-44s %s\n", r->bill.label ? r->bill.label : "?",
				       "no price: see below");
			continue;
		}
		rc |= buf_addf(out, "%-44s %14s %12s %8.2fx %15.2fx %16s %8.3fx%s\n", r->bill.label,
			       M(r->bill.bill_nanos), M(r->bill.blend_nanos), r->cost_ratio,
			       r->quality_ratio_needed, M(r->system_nanos), r->system_ratio,
			       i == c->cheapest ? "  (cheapest)" : "");
	}
	rc |= buf_adds(out,
		       "Rule of thumb: a model costing Nx the cheapest must do at least Nx better on the metric\n"
		       "that matters (MUST BE x BETTER); x SYSTEM is what the whole system (API bill +\n"
		       "infrastructure + engineering) costs relative to running it on the cheapest.\n");
	for (i = 0; i < c->n; i++)
		if (!c->v[i].priced)
			rc |= buf_addf(out, "%s: %s\n", c->v[i].bill.label ? c->v[i].bill.label : "?",
				       c->v[i].reason);
	return rc ? TT_ENOMEM : 0;
}

/* ---- guard rails ---- */

int costmodel_render_guard(const struct costmodel *cm, const struct costmodel_guard *g, int json,
			   struct buf *out)
{
	static const char *const dn[4] = { "input", "cache_read", "cache_write", "output" };
	size_t i;
	int rc = 0, d;

	if (json) {
		rc |= buf_adds(out, "{\n  \"profile\": ");
		rc |= jstr(out, cm->p->origin);
		rc |= buf_addf(out, ",\n  \"as_of\": \"%s\",\n  \"currency\": \"%s\",\n  \"per\": \"%s\",\n  \"budget\": ",
			       cm->as_of, cm->currency, g->per_month ? "month" : "run");
		rc |= jmoney(out, g->budget_nanos);
		rc |= buf_adds(out, ",\n  \"models\": [");
		for (i = 0; i < g->n; i++) {
			const struct costmodel_guard_row *r = &g->v[i];

			rc |= buf_adds(out, i ? ",\n    {\"model\": " : "\n    {\"model\": ");
			rc |= jstr(out, r->label);
			rc |= buf_addf(out, ", \"priced\": %s", r->priced ? "true" : "false");
			if (!r->priced) {
				rc |= buf_adds(out, ", \"reason\": ");
				rc |= jstr(out, r->reason);
				rc |= buf_adds(out, "}");
				continue;
			}
			rc |= buf_adds(out, ", \"per_1m_mix\": ");
			rc |= jmoney(out, r->cost_per_mtok_nanos);
			rc |= buf_addf(out, ", \"max_tokens\": %" PRId64, r->max_tokens);
			for (d = 0; d < 4; d++)
				rc |= buf_addf(out, ", \"max_%s\": %" PRId64, dn[d], r->max_by_dim[d]);
			if (g->per_month) {
				rc |= buf_adds(out, ", \"times_profile_volume\": ");
				rc |= jnum(out, r->months_volume_ratio);
			}
			rc |= buf_adds(out, "}");
		}
		rc |= buf_adds(out, "\n  ]\n}\n");
		return rc ? TT_ENOMEM : 0;
	}
	rc |= buf_addf(out, "Guard rails: the most tokens a %s may burn for %s %s, at the prices of %s\n"
		       "and the input/output mix of %s (floor: the budget is never exceeded)\n",
		       g->per_month ? "month" : "run", M(g->budget_nanos), cm->currency, cm->as_of,
		       origin_of(cm));
	rc |= buf_addf(out, "%-44s %12s %18s %16s %16s%s\n", "MODEL", "PER 1M MIX", "MAX TOKENS", "OF WHICH INPUT",
		       "OUTPUT", g->per_month ? "   x THE PROFILE'S MONTH" : "");
	for (i = 0; i < g->n; i++) {
		const struct costmodel_guard_row *r = &g->v[i];

		if (!r->priced) {
			rc |= buf_addf(out, "%-44s no price: %s\n", r->label, r->reason);
			continue;
		}
		rc |= buf_addf(out, "%-44s %12s %18s %16s %16s", r->label, M(r->cost_per_mtok_nanos),
			       TOK(r->max_tokens), TOK(r->max_by_dim[0] + r->max_by_dim[1] + r->max_by_dim[2]),
			       TOK(r->max_by_dim[3]));
		if (g->per_month)
			rc |= buf_addf(out, "   %.3fx", r->months_volume_ratio);
		rc |= buf_adds(out, "\n");
	}
	rc |= buf_adds(out, "(input counts cached input and cache writes too; stop a run, or alert, before it reaches MAX TOKENS)\n");
	return rc ? TT_ENOMEM : 0;
}

/* ---- projection ---- */

static const char *cross_words(enum fit_cross_status st)
{
	switch (st) {
	case FIT_CROSS_DATE: return "date";
	case FIT_CROSS_ALREADY_BELOW: return "already below";
	case FIT_CROSS_BEYOND_HORIZON: return "not within the horizon";
	case FIT_CROSS_NEVER: return "never (the bill is not falling against engineering)";
	case FIT_CROSS_NEVER_FLOOR: return "never (the fitted floor is above the threshold)";
	case FIT_CROSS_UNAVAILABLE: return "unavailable";
	}
	return "?";
}

static int cross_text(const struct costmodel_cross *c, struct buf *out)
{
	int rc = 0;

	if (c->status == FIT_CROSS_DATE)
		rc |= buf_adds(out, c->date);
	else
		rc |= buf_adds(out, cross_words(c->status));
	if (c->status == FIT_CROSS_ALREADY_BELOW)
		return rc ? TT_ENOMEM : 0;
	if (c->early_status == FIT_CROSS_UNAVAILABLE && c->late_status == FIT_CROSS_UNAVAILABLE)
		rc |= buf_adds(out, " (no interval)");
	else
		rc |= buf_addf(out, " (80%% interval: %s .. %s)",
			       c->early_status == FIT_CROSS_DATE ? c->early : cross_words(c->early_status),
			       c->late_status == FIT_CROSS_DATE ? c->late : cross_words(c->late_status));
	return rc ? TT_ENOMEM : 0;
}

static int scenario_head(const struct costmodel_projection *pr, const struct costmodel_scenario *sc,
			 struct buf *out)
{
	char num[48];
	int rc = 0;

	rc |= buf_addf(out, "%s:\n", sc->label);
	if (!sc->available) {
		rc |= buf_addf(out, "  not projected: %s\n", sc->reason);
		return rc ? TT_ENOMEM : 0;
	}
	rc |= buf_addf(out, "  on %s (exact): API bill %s per month (%s per 1M tokens of the mix)\n",
		       pr->as_of, M(sc->today.bill_nanos), M(sc->today.blend_nanos));
	if (sc->flat) {
		rc |= buf_addf(out, "  prices: %zu dated change%s; %s\n", sc->series.n,
			       sc->series.n == 1 ? "" : "s", sc->reason);
	} else {
		rc |= buf_addf(out, "  prices: %zu dated changes %s..%s; model %s (%s)", sc->fc.n_points,
			       sc->fc.first_date, sc->fc.last_date, fit_model_name(sc->fc.model),
			       sc->fc.forced ? "forced"
			       : sc->fc.selected_by_backtest ? "selected by backtest"
							     : "unvalidated default");
		if (sc->fc.has_factor)
			rc |= buf_addf(out, ", falls %sx per year",
				       forecast_fmt_num(sc->fc.factor_per_year, 4, num, sizeof(num)));
		if (sc->fc.selected_by_backtest && !sc->fc.beats_naive)
			rc |= buf_adds(out, "; it does not beat the naive last-price forecast");
		rc |= buf_adds(out, "\n");
	}
	rc |= buf_addf(out, "  at the volume of %s the bill meets the threshold at %s per 1M tokens of the mix (est.)\n",
		       pr->as_of, forecast_fmt_num(sc->p_star_est, 6, num, sizeof(num)));
	rc |= buf_addf(out, "  under %s%% of engineering: ", S(pr->threshold_ppb));
	rc |= cross_text(&sc->cross, out);
	rc |= buf_adds(out, "\n");
	return rc ? TT_ENOMEM : 0;
}

static int scenario_json(const struct costmodel_scenario *sc, struct buf *out)
{
	size_t i;
	int rc = 0;

	rc |= buf_addf(out, "\n    {\"scenario\": \"%s\", \"label\": ", costmodel_scenario_name(sc->kind));
	rc |= jstr(out, sc->label);
	rc |= buf_addf(out, ", \"available\": %s, \"reason\": ", sc->available ? "true" : "false");
	rc |= jstr(out, sc->reason);
	if (!sc->available)
		return rc |= buf_adds(out, "}"), rc ? TT_ENOMEM : 0;
	rc |= buf_adds(out, ",\n     \"today\": {\"model\": ");
	rc |= jstr(out, sc->today.label);
	rc |= buf_adds(out, ", \"api\": ");
	rc |= jmoney(out, sc->today.api_nanos);
	rc |= buf_adds(out, ", \"api_bill\": ");
	rc |= jmoney(out, sc->today.bill_nanos);
	rc |= buf_adds(out, ", \"blend_per_1m\": ");
	rc |= jmoney(out, sc->today.blend_nanos);
	rc |= buf_addf(out, "},\n     \"n_changes\": %zu, \"flat\": %s, \"fit\": ", sc->series.n,
		       sc->flat ? "true" : "false");
	if (sc->flat)
		rc |= buf_adds(out, "null");
	else
		rc |= buf_addf(out, "\"%s\"", fit_model_name(sc->fc.model));
	rc |= buf_addf(out, ", \"selected_by_backtest\": %s, \"factor_per_year\": ",
		       !sc->flat && sc->fc.selected_by_backtest ? "true" : "false");
	if (!sc->flat && sc->fc.has_factor)
		rc |= jnum(out, sc->fc.factor_per_year);
	else
		rc |= buf_adds(out, "null");
	rc |= buf_adds(out, ", \"p_star_per_1m_est\": ");
	rc |= jnum(out, sc->p_star_est);
	rc |= buf_addf(out, ",\n     \"crossing\": {\"status\": \"%s\", \"date\": ",
		       fit_cross_status_name(sc->cross.status));
	rc |= sc->cross.date[0] ? buf_addf(out, "\"%s\"", sc->cross.date) : buf_adds(out, "null");
	rc |= buf_addf(out, ", \"early_status\": \"%s\", \"early\": ",
		       fit_cross_status_name(sc->cross.early_status));
	rc |= sc->cross.early[0] ? buf_addf(out, "\"%s\"", sc->cross.early) : buf_adds(out, "null");
	rc |= buf_addf(out, ", \"late_status\": \"%s\", \"late\": ",
		       fit_cross_status_name(sc->cross.late_status));
	rc |= sc->cross.late[0] ? buf_addf(out, "\"%s\"", sc->cross.late) : buf_adds(out, "null");
	rc |= buf_adds(out, "},\n     \"months\": [");
	for (i = 0; i < sc->n_months; i++) {
		const struct costmodel_month *m = &sc->months[i];

		rc |= buf_addf(out, "%s\n       {\"date\": \"%s\", \"tokens\": ", i ? "," : "", m->date);
		rc |= jnum(out, m->tokens_est);
		rc |= buf_adds(out, ", \"blend\": ");
		rc |= jnum(out, m->blend_est);
		rc |= buf_adds(out, ", \"api_bill\": ");
		rc |= jnum(out, m->bill_est);
		rc |= buf_adds(out, ", \"api_bill_lo80\": ");
		rc |= jnum(out, m->bill_lo80);
		rc |= buf_adds(out, ", \"api_bill_hi80\": ");
		rc |= jnum(out, m->bill_hi80);
		rc |= buf_adds(out, ", \"api_bill_lo95\": ");
		rc |= jnum(out, m->bill_lo95);
		rc |= buf_adds(out, ", \"api_bill_hi95\": ");
		rc |= jnum(out, m->bill_hi95);
		rc |= buf_adds(out, ", \"infrastructure\": ");
		rc |= jnum(out, m->infrastructure);
		rc |= buf_adds(out, ", \"engineering\": ");
		rc |= jnum(out, m->engineering_est);
		rc |= buf_adds(out, ", \"threshold\": ");
		rc |= jnum(out, m->threshold_est);
		rc |= buf_adds(out, ", \"total\": ");
		rc |= jnum(out, m->total_est);
		rc |= buf_adds(out, ", \"share_of_engineering\": ");
		rc |= jnum(out, m->share_of_engineering);
		rc |= buf_adds(out, ", \"share_lo80\": ");
		rc |= jnum(out, m->share_lo80);
		rc |= buf_adds(out, ", \"share_hi80\": ");
		rc |= jnum(out, m->share_hi80);
		rc |= buf_adds(out, ", \"share_of_total\": ");
		rc |= jnum(out, m->share_of_total);
		rc |= buf_adds(out, "}");
	}
	rc |= buf_adds(out, "\n     ]}");
	return rc ? TT_ENOMEM : 0;
}

int costmodel_render_projection(const struct costmodel *cm, const struct costmodel_projection *pr,
				int json, struct buf *out)
{
	const struct costmodel_scenario *a = &pr->s[COSTMODEL_STAY], *b = &pr->s[COSTMODEL_CHEAPEST];
	size_t i;
	int rc = 0, k;

	if (json) {
		rc |= buf_adds(out, "{\n  \"profile\": ");
		rc |= jstr(out, cm->p->origin);
		rc |= buf_addf(out, ",\n  \"as_of\": \"%s\",\n  \"end\": \"%s\",\n  \"horizon_months\": %d,\n"
			       "  \"currency\": \"%s\",\n  \"threshold_share_percent\": \"%s\",\n"
			       "  \"estimates\": true,\n  \"scenarios\": [",
			       pr->as_of, pr->end, pr->horizon_months, pr->currency, S(pr->threshold_ppb));
		for (k = 0; k < COSTMODEL_N_SCENARIOS; k++) {
			if (k)
				rc |= buf_adds(out, ",");
			rc |= scenario_json(&pr->s[k], out);
		}
		rc |= buf_adds(out, "\n  ]\n}\n");
		return rc ? TT_ENOMEM : 0;
	}
	rc |= buf_addf(out, "When does the API bill of %s fall under %s%% of engineering?\n",
		       origin_of(cm), S(pr->threshold_ppb));
	rc |= buf_addf(out, "As of %s to %s; %s per month.  Projected figures are estimates from the\n"
		       "forecasting engine (median and 80%% interval); the API bill is API + silent costs.\n\n",
		       pr->as_of, pr->end, pr->currency);
	for (k = 0; k < COSTMODEL_N_SCENARIOS; k++) {
		rc |= scenario_head(pr, &pr->s[k], out);
		rc |= buf_adds(out, "\n");
	}
	if (!a->available)
		return rc ? TT_ENOMEM : 0;
	rc |= buf_addf(out, "%-10s %12s %10s | %12s %25s %9s |", "MONTH", "ENGINEERING", "THRESHOLD",
		       "STAY: BILL", "80%", "% ENG");
	if (b->available)
		rc |= buf_addf(out, " %12s %25s %9s", "CHEAPEST", "80%", "% ENG");
	rc |= buf_adds(out, "\n");
	for (i = 0; i < a->n_months; i++) {
		const struct costmodel_month *m = &a->months[i];
		char iv[64];

		snprintf(iv, sizeof(iv), "%.2f..%.2f", m->bill_lo80, m->bill_hi80);
		rc |= buf_addf(out, "%-10s %12.2f %10.2f | %12.2f %25s %8.3f%% |", m->date,
			       m->engineering_est, m->threshold_est, m->bill_est,
			       m->has_interval ? iv : "-", 100.0 * m->share_of_engineering);
		if (b->available && i < b->n_months) {
			const struct costmodel_month *q = &b->months[i];

			snprintf(iv, sizeof(iv), "%.2f..%.2f", q->bill_lo80, q->bill_hi80);
			rc |= buf_addf(out, " %12.2f %25s %8.3f%%", q->bill_est, q->has_interval ? iv : "-",
				       100.0 * q->share_of_engineering);
		}
		rc |= buf_adds(out, "\n");
	}
	return rc ? TT_ENOMEM : 0;
}
