/*
 * notify.c - rules, event texts, and delivery of change and failure
 * notifications to a webhook and/or a command run without a shell (see
 * notify.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/notify.h"

#include <sqlite3.h>

#include "tokentrend/clock.h"
#include "tokentrend/http.h"
#include "tokentrend/log.h"
#include "tokentrend/money.h"
#include "tokentrend/proc.h"
#include "tokentrend/store.h"
#include "tokentrend/json.h"

/* ---- rules ------------------------------------------------------------------ */

void notify_rule_release(struct notify_rule *r)
{
	if (!r)
		return;
	free(r->provider);
	free(r->model);
	free(r->dimension);
	free(r->tier);
	free(r->source);
	memset(r, 0, sizeof(*r));
}

int notify_rule_parse(const char *text, struct notify_rule *r, struct tt_error *err)
{
	char *copy = NULL, *p, *save = NULL, *word;
	int rc = 0, n = 0;

	memset(r, 0, sizeof(*r));
	copy = strdup(text ? text : "");
	if (!copy)
		return tt_set_error(err, TT_ENOMEM, "out of memory");
	for (p = copy; (word = strtok_r(p, " \t", &save)); p = NULL, n++) {
		char *eq = strchr(word, '=');
		if (n == 0) {
			if (!strcmp(word, "any")) {
				r->kind = NOTIFY_ANY;
			} else if (!strcmp(word, "move")) {
				r->kind = NOTIFY_MOVE;
			} else if (!strcmp(word, "below")) {
				r->kind = NOTIFY_BELOW;
			} else if (!strcmp(word, "above")) {
				r->kind = NOTIFY_ABOVE;
			} else {
				rc = tt_set_error(err, TT_EINVAL, "rule '%s': starts with any, move PCT, below PRICE "
						  "or above PRICE", text);
				goto out;
			}
			continue;
		}
		if (n == 1 && r->kind != NOTIFY_ANY) {
			size_t len = strlen(word);
			if (r->kind == NOTIFY_MOVE && len && word[len - 1] == '%')
				len--;
			if (money_parse(word, len, 0, &r->value, NULL) < 0 || r->value <= 0) {
				rc = tt_set_error(err, TT_EINVAL, "rule '%s': '%s' is not a positive %s", text, word,
						  r->kind == NOTIFY_MOVE ? "percentage" : "price");
				goto out;
			}
			continue;
		}
		if (!eq) {
			rc = tt_set_error(err, TT_EINVAL, "rule '%s': '%s' is not a filter (provider=, model=, "
					  "dimension=, tier=, source=)", text, word);
			goto out;
		}
		*eq = '\0';
		{
			char **slot = !strcmp(word, "provider") ? &r->provider
				: !strcmp(word, "model") ? &r->model
				: !strcmp(word, "dimension") ? &r->dimension
				: !strcmp(word, "tier") ? &r->tier
				: !strcmp(word, "source") ? &r->source : NULL;
			if (!slot || !eq[1]) {
				rc = tt_set_error(err, TT_EINVAL, "rule '%s': unknown or empty filter '%s' (provider, "
						  "model, dimension, tier, source)", text, word);
				goto out;
			}
			free(*slot);
			*slot = strdup(eq + 1);
			if (!*slot) {
				rc = tt_set_error(err, TT_ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	if (n == 0 || (r->kind != NOTIFY_ANY && n < 2))
		rc = tt_set_error(err, TT_EINVAL, "rule '%s': %s", text ? text : "",
				  n == 0 ? "empty" : "needs a value (move 10, below 1.00, above 20)");
out:
	free(copy);
	if (rc < 0)
		notify_rule_release(r);
	return rc;
}

static int filter_ok(const char *want, const char *have)
{
	return !want || (have && !strcmp(want, have));
}

/* |new - old| * 100 >= pct * old, exactly (pct and prices in nano-units). */
static int moved_by(int64_t old, int64_t now, int64_t pct_nanos)
{
	__int128 d = (__int128)now - old;

	if (d < 0)
		d = -d;
	if (old <= 0)
		return now != old;
	return d * 100 * 1000000000LL >= (__int128)pct_nanos * old;
}

int notify_rule_matches(const struct notify_rule *r, const struct notify_event *e)
{
	if (!filter_ok(r->source, e->source))
		return 0;
	if (!strcmp(e->kind, "failing"))
		return !r->provider && !r->model && !r->dimension && !r->tier;
	if (!filter_ok(r->provider, e->provider) || !filter_ok(r->model, e->model) ||
	    !filter_ok(r->dimension, e->dimension) || !filter_ok(r->tier, e->tier))
		return 0;
	switch (r->kind) {
	case NOTIFY_ANY:
		return 1;
	case NOTIFY_MOVE:
		return e->has_old && e->has_new && moved_by(e->old_nanos, e->new_nanos, r->value);
	case NOTIFY_BELOW:
		return e->has_new && e->new_nanos < r->value && (!e->has_old || e->old_nanos >= r->value);
	case NOTIFY_ABOVE:
		return e->has_new && e->new_nanos > r->value && (!e->has_old || e->old_nanos <= r->value);
	}
	return 0;
}

/* ---- texts -------------------------------------------------------------------- */

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

int notify_event_text(const struct notify_event *e, struct buf *out)
{
	char o[MONEY_FMT_MAX], n[MONEY_FMT_MAX];

	if (!strcmp(e->kind, "failing"))
		return buf_addf(out, "%s has failed %d runs in a row (since %s): %s", e->source, e->failures,
				e->date, or_empty(e->reason));
	if (e->has_new)
		money_format(e->new_nanos, n, sizeof(n));
	if (e->has_old)
		money_format(e->old_nanos, o, sizeof(o));
	buf_addf(out, "%s %s %s %s%s%s%s%s: ", or_empty(e->provider), or_empty(e->model),
		 or_empty(e->dimension), or_empty(e->tier), e->condition && *e->condition ? " " : "",
		 or_empty(e->condition), e->region && *e->region ? " " : "", or_empty(e->region));
	if (!strcmp(e->change, "removed"))
		buf_addf(out, "removed (was %s %s per %s)", e->has_old ? o : "?", or_empty(e->currency),
			 or_empty(e->unit));
	else if (!strcmp(e->change, "new") || !e->has_old)
		buf_addf(out, "new at %s %s per %s", e->has_new ? n : "?", or_empty(e->currency),
			 or_empty(e->unit));
	else {
		/* percent in tenths, exactly rounded half away from zero */
		__int128 num = ((__int128)e->new_nanos - e->old_nanos) * 1000;
		long long tenths = e->old_nanos ? (long long)((num + (num >= 0 ? e->old_nanos / 2 : -e->old_nanos / 2)) / e->old_nanos) : 0;
		buf_addf(out, "%s -> %s %s per %s (%s %lld.%lld%%)", o, n, or_empty(e->currency),
			 or_empty(e->unit), e->new_nanos < e->old_nanos ? "down" : "up",
			 (tenths < 0 ? -tenths : tenths) / 10, (tenths < 0 ? -tenths : tenths) % 10);
	}
	return buf_addf(out, " from %s [%s]", e->date, e->source);
}

int notify_event_json(const struct notify_event *e, struct buf *out)
{
	char m[MONEY_FMT_MAX];

	buf_adds(out, "{\"event\":");
	json_buf_add_string_or_null(out, e->kind);
	buf_adds(out, ",\"source\":");
	json_buf_add_string_or_null(out, e->source);
	buf_adds(out, ",\"date\":");
	json_buf_add_string_or_null(out, e->date);
	if (!strcmp(e->kind, "failing")) {
		buf_addf(out, ",\"failures\":%d,\"reason\":", e->failures);
		json_buf_add_string_or_null(out, e->reason);
	} else {
		buf_adds(out, ",\"change\":");
		json_buf_add_string_or_null(out, e->change);
		buf_adds(out, ",\"provider\":");
		json_buf_add_string_or_null(out, e->provider);
		buf_adds(out, ",\"model\":");
		json_buf_add_string_or_null(out, e->model);
		buf_adds(out, ",\"dimension\":");
		json_buf_add_string_or_null(out, e->dimension);
		buf_adds(out, ",\"tier\":");
		json_buf_add_string_or_null(out, e->tier);
		buf_adds(out, ",\"condition\":");
		json_buf_add_string_or_null(out, e->condition);
		buf_adds(out, ",\"region\":");
		json_buf_add_string_or_null(out, e->region);
		buf_adds(out, ",\"unit\":");
		json_buf_add_string_or_null(out, e->unit);
		buf_adds(out, ",\"currency\":");
		json_buf_add_string_or_null(out, e->currency);
		buf_adds(out, ",\"old_price\":");
		json_buf_add_string_or_null(out, e->has_old ? money_format(e->old_nanos, m, sizeof(m)) : NULL);
		buf_adds(out, ",\"price\":");
		json_buf_add_string_or_null(out, e->has_new ? money_format(e->new_nanos, m, sizeof(m)) : NULL);
	}
	buf_adds(out, ",\"text\":");
	{
		struct buf t = BUF_INIT;
		notify_event_text(e, &t);
		json_buf_add_string_or_null(out, t.buf);
		buf_release(&t);
	}
	return buf_addch(out, '}');
}

/* ---- configuration ------------------------------------------------------------- */

void notify_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

void notify_config_release(struct notify_config *c)
{
	size_t i;

	if (!c)
		return;
	free(c->webhook);
	notify_argv_free(c->command);
	for (i = 0; i < c->nrules; i++)
		notify_rule_release(&c->rules[i]);
	free(c->rules);
	memset(c, 0, sizeof(*c));
	c->failing_runs = 3;
}

int notify_split_command(const char *line, char ***argv_out, struct tt_error *err)
{
	char **argv = NULL;
	size_t n = 0;
	const char *p = line;
	int rc = 0;

	*argv_out = NULL;
	for (;;) {
		struct buf w = BUF_INIT;
		char quote = 0;
		int any = 0;
		char **nv;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
			any = 1;
			if (quote) {
				if (*p == quote)
					quote = 0;
				else if (*p == '\\' && quote == '"' && p[1])
					buf_addch(&w, *++p);
				else
					buf_addch(&w, *p);
			} else if (*p == '\'' || *p == '"') {
				quote = *p;
			} else if (*p == '\\' && p[1]) {
				buf_addch(&w, *++p);
			} else {
				buf_addch(&w, *p);
			}
		}
		if (quote) {
			buf_release(&w);
			rc = tt_set_error(err, TT_EINVAL, "unterminated %c quote", quote);
			goto out;
		}
		(void)any;
		nv = realloc(argv, (n + 2) * sizeof(*nv));
		if (!nv) {
			buf_release(&w);
			rc = tt_set_error(err, TT_ENOMEM, "out of memory");
			goto out;
		}
		argv = nv;
		argv[n++] = buf_detach(&w, NULL);
		argv[n] = NULL;
	}
	if (n == 0)
		rc = tt_set_error(err, TT_EINVAL, "empty command");
out:
	if (rc < 0) {
		notify_argv_free(argv);
		return rc;
	}
	*argv_out = argv;
	return (int)n;
}

/* ---- collecting events ------------------------------------------------------- */

struct ev {
	struct notify_event e;
	int64_t key_id;
	char *strs[12];   /* owned strings behind e */
	char *ndate;      /* the notification table's date */
};

struct evs {
	struct ev *v;
	size_t n, a;
};

static void evs_release(struct evs *l)
{
	size_t i, k;

	for (i = 0; i < l->n; i++) {
		for (k = 0; k < TT_ARRAY_SIZE(l->v[i].strs); k++)
			free(l->v[i].strs[k]);
		free(l->v[i].ndate);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static struct ev *evs_push(struct evs *l)
{
	if (l->n == l->a) {
		size_t na = l->a ? l->a * 2 : 32;
		struct ev *nv = realloc(l->v, na * sizeof(*nv));
		if (!nv)
			return NULL;
		l->v = nv;
		l->a = na;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

static const char *keep_str(struct ev *x, int slot, sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	x->strs[slot] = t ? strdup((const char *)t) : NULL;
	return x->strs[slot];
}

static const char change_sql[] =
	"SELECT e.source, e.date, e.kind, e.old_nanos, e.new_nanos, k.provider, k.model, k.dimension,"
	" k.tier, k.condition, k.region, k.unit, k.currency, k.id"
	" FROM change_event e JOIN price_key k ON k.id = e.key_id"
	" WHERE e.seen BETWEEN date(?1, '-7 days') AND ?1"
	/* only what live runs observed */
	" AND EXISTS (SELECT 1 FROM run_source r JOIN run u ON u.id = r.run_id WHERE u.kind = 'scrape'"
	"             AND r.source = e.source AND r.obs_date = e.seen AND r.status IN ('ok', 'unchanged'))"
	/* a source's first successful run finds every model 'new': not news */
	" AND NOT (e.kind = 'new' AND NOT EXISTS (SELECT 1 FROM run_source r WHERE r.source = e.source"
	"             AND r.status IN ('ok', 'unchanged') AND r.obs_date < e.seen))"
	" AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.kind = 'change' AND n.source = e.source"
	"             AND n.key_id = e.key_id AND n.date = e.date AND n.change = e.kind)"
	" ORDER BY e.source, k.provider, k.model, k.dimension, k.tier, k.condition, e.date";

static int collect_changes(sqlite3 *db, const struct notify_config *cfg, const char *date,
			   struct evs *out, struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, change_sql, -1, &s, NULL) != SQLITE_OK)
		return tt_set_error(err, TT_EDB, "notifications: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(s, 1, date, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ev *x = evs_push(out);
		struct notify_event *e;
		size_t i;
		int keep = cfg->nrules == 0;

		if (!x) {
			sqlite3_finalize(s);
			return tt_set_error(err, TT_ENOMEM, "out of memory");
		}
		e = &x->e;
		e->kind = "change";
		e->source = keep_str(x, 0, s, 0);
		e->date = keep_str(x, 1, s, 1);
		e->change = keep_str(x, 2, s, 2);
		e->has_old = sqlite3_column_type(s, 3) != SQLITE_NULL;
		e->old_nanos = sqlite3_column_int64(s, 3);
		e->has_new = sqlite3_column_type(s, 4) != SQLITE_NULL;
		e->new_nanos = sqlite3_column_int64(s, 4);
		e->provider = keep_str(x, 3, s, 5);
		e->model = keep_str(x, 4, s, 6);
		e->dimension = keep_str(x, 5, s, 7);
		e->tier = keep_str(x, 6, s, 8);
		e->condition = keep_str(x, 7, s, 9);
		e->region = keep_str(x, 8, s, 10);
		e->unit = keep_str(x, 9, s, 11);
		e->currency = keep_str(x, 10, s, 12);
		x->key_id = sqlite3_column_int64(s, 13);
		x->ndate = e->date ? strdup(e->date) : NULL;
		if (!strcmp(e->change ? e->change : "", "removed") && !e->has_old) {
			/* a removal carries the closed value as new_nanos in some rows */
			e->has_old = e->has_new;
			e->old_nanos = e->new_nanos;
			e->has_new = 0;
		}
		for (i = 0; i < cfg->nrules && !keep; i++)
			keep = notify_rule_matches(&cfg->rules[i], e);
		if (!keep) {
			size_t k;
			for (k = 0; k < TT_ARRAY_SIZE(x->strs); k++)
				free(x->strs[k]);
			free(x->ndate);
			out->n--;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : tt_set_error(err, TT_EDB, "notifications: %s", sqlite3_errmsg(db));
}

/* Sources whose latest `failing_runs` live outcomes all failed. */
static int collect_failing(sqlite3 *db, const struct notify_config *cfg, struct evs *out,
			   struct tt_error *err)
{
	sqlite3_stmt *src = NULL, *s = NULL;
	int need = cfg->failing_runs > 0 ? cfg->failing_runs : 3, rc;

	if (sqlite3_prepare_v2(db, "SELECT DISTINCT r.source FROM run_source r JOIN run u ON u.id = r.run_id"
			       " WHERE u.kind = 'scrape' ORDER BY 1", -1, &src, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT r.status, r.obs_date, r.error FROM run_source r JOIN run u"
			       " ON u.id = r.run_id WHERE u.kind = 'scrape' AND r.source = ?1"
			       " ORDER BY r.id DESC", -1, &s, NULL) != SQLITE_OK) {
		rc = tt_set_error(err, TT_EDB, "notifications: %s", sqlite3_errmsg(db));
		goto out;
	}
	while ((rc = sqlite3_step(src)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(src, 0);
		char first[11] = "", *reason = NULL;
		int streak = 0, r;
		size_t i;
		int keep = cfg->nrules == 0;

		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
		while ((r = sqlite3_step(s)) == SQLITE_ROW) {
			const char *st = (const char *)sqlite3_column_text(s, 0);
			if (!strcmp(st, "ok") || !strcmp(st, "unchanged"))
				break;
			if (streak == 0 && sqlite3_column_text(s, 2))
				reason = strdup((const char *)sqlite3_column_text(s, 2));
			snprintf(first, sizeof(first), "%s", (const char *)sqlite3_column_text(s, 1));
			streak++;
		}
		if (streak >= need) {
			struct ev *x = evs_push(out);
			if (!x) {
				free(reason);
				rc = tt_set_error(err, TT_ENOMEM, "out of memory");
				goto out;
			}
			x->e.kind = "failing";
			x->strs[0] = strdup(id);
			x->e.source = x->strs[0];
			x->strs[1] = strdup(first);
			x->e.date = x->strs[1];
			x->ndate = strdup(first);
			x->strs[2] = reason;
			x->e.reason = reason;
			reason = NULL;
			x->e.failures = streak;
			for (i = 0; i < cfg->nrules && !keep; i++)
				keep = notify_rule_matches(&cfg->rules[i], &x->e);
			/* already told about this streak? */
			if (keep) {
				sqlite3_stmt *q = NULL;
				if (sqlite3_prepare_v2(db, "SELECT 1 FROM notification WHERE kind='failing' AND source=?1"
						       " AND date=?2", -1, &q, NULL) == SQLITE_OK) {
					sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
					sqlite3_bind_text(q, 2, first, -1, SQLITE_TRANSIENT);
					keep = sqlite3_step(q) != SQLITE_ROW;
				}
				sqlite3_finalize(q);
			}
			if (!keep) {
				size_t k;
				for (k = 0; k < TT_ARRAY_SIZE(x->strs); k++)
					free(x->strs[k]);
				free(x->ndate);
				out->n--;
			}
		}
		free(reason);
	}
	rc = rc == SQLITE_DONE ? 0 : tt_set_error(err, TT_EDB, "notifications: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(src);
	sqlite3_finalize(s);
	return rc;
}

/* ---- delivery ------------------------------------------------------------------ */

static int run_command(const struct notify_config *cfg, const struct notify_event *e,
		       struct tt_error *err)
{
	struct buf json = BUF_INIT, text = BUF_INIT;
	char *env[20];
	char o[MONEY_FMT_MAX] = "", n[MONEY_FMT_MAX] = "", fails[16];
	struct buf envb[20];
	size_t ne = 0, i;
	int status = 0, rc;

	notify_event_json(e, &json);
	notify_event_text(e, &text);
	if (e->has_old)
		money_format(e->old_nanos, o, sizeof(o));
	if (e->has_new)
		money_format(e->new_nanos, n, sizeof(n));
	snprintf(fails, sizeof(fails), "%d", e->failures);
	{
		const char *kv[][2] = {
			{ "TOKENTREND_EVENT", e->kind }, { "TOKENTREND_SOURCE", e->source },
			{ "TOKENTREND_DATE", e->date }, { "TOKENTREND_CHANGE", e->change },
			{ "TOKENTREND_PROVIDER", e->provider }, { "TOKENTREND_MODEL", e->model },
			{ "TOKENTREND_DIMENSION", e->dimension }, { "TOKENTREND_TIER", e->tier },
			{ "TOKENTREND_CONDITION", e->condition }, { "TOKENTREND_REGION", e->region },
			{ "TOKENTREND_UNIT", e->unit }, { "TOKENTREND_CURRENCY", e->currency },
			{ "TOKENTREND_OLD_PRICE", o }, { "TOKENTREND_PRICE", n },
			{ "TOKENTREND_FAILURES", strcmp(e->kind, "failing") ? "" : fails },
			{ "TOKENTREND_REASON", e->reason }, { "TOKENTREND_TEXT", text.buf },
		};
		for (i = 0; i < TT_ARRAY_SIZE(kv); i++) {
			buf_init(&envb[ne], 0);
			buf_addf(&envb[ne], "%s=%s", kv[i][0], kv[i][1] ? kv[i][1] : "");
			env[ne] = envb[ne].buf;
			ne++;
		}
		env[ne] = NULL;
	}
	rc = proc_run(cfg->command, env, json.buf, json.len, NULL, NULL,
		      cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000, &status, err);
	if (rc == 0 && status != 0)
		rc = tt_set_error(err, TT_ENET, "notification command '%s' exited with status %d",
				  cfg->command[0], status);
	for (i = 0; i < ne; i++)
		buf_release(&envb[i]);
	buf_release(&json);
	buf_release(&text);
	return rc;
}

static int post_webhook(const struct notify_config *cfg, const struct evs *l, struct tt_error *err)
{
	struct buf body = BUF_INIT, text = BUF_INIT;
	struct http_opts o = { 0 };
	long status = 0;
	size_t i;
	int rc;

	buf_addf(&text, "tokentrend: %zu price event%s", l->n, l->n == 1 ? "" : "s");
	for (i = 0; i < l->n; i++) {
		buf_adds(&text, "\n- ");
		notify_event_text(&l->v[i].e, &text);
	}
	buf_adds(&body, "{\"text\":");
	json_buf_add_string_or_null(&body, text.buf);
	buf_adds(&body, ",\"events\":[");
	for (i = 0; i < l->n; i++) {
		if (i)
			buf_addch(&body, ',');
		notify_event_json(&l->v[i].e, &body);
	}
	buf_adds(&body, "]}");
	o.total_timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
	o.retry_base_ms = 1000;
	rc = http_post(cfg->webhook, "webhook", "application/json", body.buf, body.len, &o, &status, err);
	buf_release(&body);
	buf_release(&text);
	return rc;
}

static int mark_sent(sqlite3 *db, const struct ev *x, const char *ts, struct tt_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO notification(kind,source,key_id,date,change,sent)"
			       " VALUES(?1,?2,?3,?4,?5,?6)", -1, &s, NULL) != SQLITE_OK)
		return tt_set_error(err, TT_EDB, "record notification: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(s, 1, x->e.kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, x->e.source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, x->key_id);
	sqlite3_bind_text(s, 4, x->ndate, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, x->e.change ? x->e.change : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, ts, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : tt_set_error(err, TT_EDB, "record notification: %s",
							       sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return rc;
}

int notify_run(struct store *st, const struct notify_config *cfg, const char *date,
	       struct notify_report *rep, struct tt_error *err)
{
	sqlite3 *db = store_db(st);
	struct evs l = { 0 };
	struct tt_error e1 = { 0 };
	char ts[21];
	size_t i;
	int rc, wrc = 0;

	memset(rep, 0, sizeof(*rep));
	if (!cfg || (!cfg->webhook && !cfg->command))
		return 0;
	rc = collect_changes(db, cfg, date, &l, err);
	if (rc == 0)
		rc = collect_failing(db, cfg, &l, err);
	if (rc < 0 || l.n == 0)
		goto out;
	rep->events = l.n;
	if (cfg->webhook) {
		wrc = post_webhook(cfg, &l, &e1);
		if (wrc < 0)
			LOG(LOG_WARN, "%s", e1.msg); /* the message never holds the URL */
	}
	clock_timestamp(ts);
	for (i = 0; i < l.n; i++) {
		struct tt_error e2 = { 0 };
		int crc = cfg->command ? run_command(cfg, &l.v[i].e, &e2) : 0;
		if (wrc < 0 || crc < 0) {
			rep->failed++;
			if (crc < 0 && e1.code == 0)
				e1 = e2;
			continue;
		}
		rc = mark_sent(db, &l.v[i], ts, err);
		if (rc < 0)
			goto out;
		rep->delivered++;
	}
	if (rep->failed) {
		rc = tt_set_error(err, TT_ENET, "%zu of %zu notification%s not delivered (retried next run): %s",
				  rep->failed, l.n, l.n == 1 ? "" : "s", e1.msg);
	}
out:
	evs_release(&l);
	return rc;
}
