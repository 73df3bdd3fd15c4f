/*
 * extract_util.c - helpers shared by the extractors: de-duplication with
 * conflict detection, model slugs, message origins, the table loop and the
 * fail-closed rollback.
 */
#include "tokentrend/tt_compat.h"
#include "extract_int.h"
#include "tokentrend/html.h"
#include "tokentrend/money.h"

int extract_add(struct price_list *out, size_t from, const struct price *p, const char *what,
		struct tt_error *err)
{
	struct price q = *p;
	size_t i;

	/* Compare on the key as price_list_add will store it (defaults filled). */
	if (!q.tier)
		q.tier = "standard";
	if (!q.condition)
		q.condition = "";
	if (!q.region)
		q.region = "";
	if (!q.unit)
		q.unit = PRICE_UNIT_MTOK;
	if (!q.currency)
		q.currency = "USD";
	if (!q.dimension)
		q.dimension = "input";
	for (i = from; i < out->n; i++) {
		if (price_key_cmp(&out->v[i], &q) != 0)
			continue;
		if (out->v[i].nanos == q.nanos)
			return 0;
		{
			char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX];
			return tt_set_error(err, TT_EPARSE,
					    "%s: %s %s %s tier %s condition '%s' is published twice with "
					    "different prices (%s and %s)",
					    what, q.provider, q.model, q.dimension, q.tier, q.condition,
					    money_format(out->v[i].nanos, a, sizeof(a)),
					    money_format(q.nanos, b, sizeof(b)));
		}
	}
	if (price_list_add(out, p) < 0)
		return tt_set_error(err, TT_ENOMEM, "%s: out of memory adding a price", what);
	return 1;
}

int extract_slug(const char *prefix, const char *title, struct buf *out)
{
	const char *p;
	int rc, blank = 0;
	size_t start;

	if (!title || !*title)
		return TT_EINVAL;
	if ((rc = buf_adds(out, prefix ? prefix : "")) < 0)
		return rc;
	start = out->len;
	for (p = title; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\t' || c == '\n') {
			blank = 1;
			continue;
		}
		if (blank && out->len > start && (rc = buf_addch(out, '-')) < 0)
			return rc;
		blank = 0;
		if ((rc = buf_addch(out, (char)tolower(c))) < 0)
			return rc;
	}
	return out->len > start ? 0 : TT_EINVAL;
}

const char *extract_origin(const struct extract_ctx *ctx, const char *dflt)
{
	if (ctx && ctx->origin && *ctx->origin)
		return ctx->origin;
	if (ctx && ctx->source_id && *ctx->source_id)
		return ctx->source_id;
	return dflt;
}

void extract_drop_since(struct price_list *out, size_t from)
{
	while (out->n > from)
		price_release(&out->v[--out->n]);
}

int extract_each_node(xmlDocPtr doc, const char *xpath,
		      int (*table)(void *st, xmlNodePtr node, struct tt_error *err), void *st,
		      size_t *n_nodes, struct tt_error *err)
{
	struct html_nodes ns = HTML_NODES_INIT;
	size_t i;
	int rc, total = 0;

	if (n_nodes)
		*n_nodes = 0;
	if ((rc = html_xpath_nodes(doc, NULL, xpath, &ns, err)) < 0)
		goto out;
	if (n_nodes)
		*n_nodes = ns.n;
	for (i = 0; i < ns.n; i++) {
		rc = table(st, ns.v[i], err);
		if (rc < 0)
			goto out;
		total += rc;
	}
	rc = total;
out:
	html_nodes_release(&ns);
	return rc;
}
