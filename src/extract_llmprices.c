/*
 * extract_llmprices.c - simonw/llm-prices vendor files (data/<vendor>.json,
 * the source of llm-prices.com) into dated prices.  One code path for
 * `import llmprices FILE` and `scrape --source llmprices --file FILE --date D`.
 *
 * Shape: {"vendor":"openai","models":[{"id":"gpt-4o","name":"GPT-4o",
 * "price_history":[{"input":2.5,"output":10,"input_cached":1.25,
 * "from_date":null,"to_date":null}, ...]}]}.  Prices are USD per 1M
 * tokens as JSON numbers, read from their text.  Fail closed (TT_EPARSE)
 * without a "vendor" string and a "models" array, or when no model has a
 * usable price.
 *
 * Keys.  provider = the vendor (google -> gemini: the Gemini API's prices;
 * others as published), model = id as published, tier standard, dimensions
 * input, output and input_cached -> cache_read.  The display name goes in
 * the note; the origin names file, vendor, id and period.
 *
 * Dates (ctx->date is the file's date F, the last commit that touched it).
 * Each period of price_history becomes observations on the days the file
 * vouches for that price, carried in price.observed (backfill_observe()
 * stores them; NULL means F), with price.effective = from_date:
 *   - the current period (from_date null or <= F, to_date null or > F):
 *     observed on F; effective from_date (null: "current, start unknown",
 *     so the interval starts at F);
 *   - a past period (to_date <= F): observed on its first day (from_date,
 *     when known) and on its last day (to_date - 1), so that the interval
 *     is [from_date, to_date) with first/last seen on those days; with no
 *     from_date it is known only on its last day;
 *   - a scheduled period (from_date > F): observed on from_date with
 *     effective from_date: the price the file announces for that day (the
 *     current period's interval is closed there).  The origin says it was
 *     announced in a file of date F.
 * A period whose to_date is not after its from_date, or with a bad date,
 * is skipped and counted; two periods of one model vouching for different
 * prices on the same day make the store refuse the file (fail closed).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"

#include "extract_int.h"
#include "tokentrend/clock.h"
#include "tokentrend/json.h"

static const char *lp_provider(const char *vendor)
{
	if (!strcmp(vendor, "google"))
		return "gemini";
	return vendor;
}

static int lp_skip(const struct extract_ctx *ctx, const char *reason, const char *example)
{
	return extract_skips_add(ctx ? ctx->skips : NULL, reason, example);
}

/* Add one dimension of one period, observed on obs (NULL: the file date). */
static int lp_add(struct price_list *out, const struct extract_ctx *ctx, struct price *tmpl,
		  const char *dimension, struct json_object *v, const char *obs, int *added,
		  struct tt_error *err)
{
	struct tt_error e2 = { 0 };
	int64_t nanos = 0;
	int r = json_money(v, 0, &nanos, &e2);

	if (r == JSON_MONEY_ABSENT)
		return 0;
	if (r < 0)
		return lp_skip(ctx, r == TT_ERANGE ? "price out of range or rounds to 0"
						   : "price is not a decimal number", tmpl->model);
	if (nanos < 0)
		return lp_skip(ctx, "negative price (sentinel)", tmpl->model);
	tmpl->dimension = (char *)dimension;
	tmpl->nanos = nanos;
	tmpl->text = (char *)json_money_text(v);
	tmpl->observed = (char *)obs;
	if (price_list_add(out, tmpl) < 0)
		return tt_set_error(err, TT_ENOMEM, "llmprices: out of memory");
	(*added)++;
	return 0;
}

int extract_llmprices(const char *body, size_t len, const struct extract_ctx *ctx,
		      struct price_list *out, struct tt_error *err)
{
	const char *origin = extract_origin(ctx, "llmprices");
	const char *file = strrchr(origin, '/') ? strrchr(origin, '/') + 1 : origin;
	struct json_object *root = NULL, *models;
	const char *vendor, *fdate = ctx ? ctx->date : NULL;
	size_t i, nm;
	int64_t fday;
	int rc, added = 0;

	if (!fdate || date_parse(fdate, &fday) < 0)
		return tt_set_error(err, TT_EINVAL, "%s: llm-prices files need the file's date (got '%s')",
				    origin, fdate ? fdate : "");
	rc = json_doc_parse(body, len, origin, &root, err);
	if (rc < 0)
		return rc;
	vendor = json_get_str(root, "vendor");
	models = json_get(root, "models");
	if (!vendor || !*vendor || !json_is_array(models)) {
		rc = tt_set_error(err, TT_EPARSE,
				  "%s: not an llm-prices vendor file (no \"vendor\" string and \"models\" array)",
				  origin);
		goto out;
	}
	nm = json_array_len(models);
	for (i = 0; i < nm; i++) {
		struct json_object *m = json_array_at(models, i);
		const char *id = json_get_str(m, "id"), *name = json_get_str(m, "name");
		struct json_object *ph = json_get(m, "price_history");
		size_t j, np;

		if (!id || !*id || !json_is_array(ph)) {
			if ((rc = lp_skip(ctx, "model without id or price_history", id)) < 0)
				goto oom;
			continue;
		}
		np = json_array_len(ph);
		for (j = 0; j < np; j++) {
			struct json_object *per = json_array_at(ph, j);
			const char *from = json_get_str(per, "from_date"), *to = json_get_str(per, "to_date");
			int64_t dfrom = 0, dto = 0;
			char last[11], org[512];
			const char *obs1 = NULL, *obs2 = NULL;
			struct price p;

			if (!json_is_object(per) || (from && date_parse(from, &dfrom) < 0) ||
			    (to && date_parse(to, &dto) < 0) || (from && to && dto <= dfrom)) {
				if ((rc = lp_skip(ctx, "bad price period dates", id)) < 0)
					goto oom;
				continue;
			}
			memset(&p, 0, sizeof(p));
			p.provider = (char *)lp_provider(vendor);
			p.model = (char *)id;
			p.tier = (char *)"standard";
			p.unit = (char *)PRICE_UNIT_MTOK;
			p.currency = (char *)"USD";
			p.note = (char *)name;
			p.effective = (char *)from;
			if (to && dto <= fday) {
				/* past: its first day (when known) and its last day */
				date_format(dto - 1, last);
				obs1 = from;
				obs2 = last;
				if (from && !strcmp(from, last))
					obs1 = NULL;
				snprintf(org, sizeof(org), "file=%s vendor=%s id=%s period=%s..%s (past)", file,
					 vendor, id, from ? from : "?", to);
			} else if (from && dfrom > fday) {
				obs1 = from; /* scheduled */
				snprintf(org, sizeof(org),
					 "file=%s vendor=%s id=%s period=%s..%s (scheduled, announced in the file of %s)",
					 file, vendor, id, from, to ? to : "", fdate);
			} else {
				snprintf(org, sizeof(org), "file=%s vendor=%s id=%s period=%s..%s (current)", file,
					 vendor, id, from ? from : "?", to ? to : "");
			}
			p.origin = org;
			{
				const char *obs[2] = { obs1, obs2 };
				int k, nobs = obs1 || obs2 ? 2 : 1;
				for (k = 0; k < nobs; k++) {
					if (nobs == 2 && !obs[k])
						continue;
					if ((rc = lp_add(out, ctx, &p, "input", json_get(per, "input"), obs[k],
							 &added, err)) < 0 ||
					    (rc = lp_add(out, ctx, &p, "output", json_get(per, "output"), obs[k],
							 &added, err)) < 0 ||
					    (rc = lp_add(out, ctx, &p, "cache_read", json_get(per, "input_cached"),
							 obs[k], &added, err)) < 0)
						goto out;
				}
			}
		}
	}
	if (added == 0) {
		rc = tt_set_error(err, TT_EPARSE, "%s: no usable price in %zu models", origin, nm);
		goto out;
	}
	rc = added;
	goto out;
oom:
	rc = tt_set_error(err, TT_ENOMEM, "%s: out of memory", origin);
out:
	json_doc_free(root);
	return rc;
}
