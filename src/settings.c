/*
 * settings.c - reading the configuration file (see settings.h): one table
 * of keys with their type, range and help, a line parser with sections,
 * and the merge of [fetch] with [source ID] for one source.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/settings.h"

#include "tokentrend/buf.h"

enum key_type { K_LONG, K_INT, K_SIZE, K_BOOL, K_STR };
enum key_where { W_RUN = 1, W_REQ = 2 }; /* struct settings, or struct http_opts */

struct key_def {
	const char *key;
	enum key_type type;
	enum key_where where;
	size_t off;
	long min, max;
	const char *help;
};

#define RUN(f) W_RUN, offsetof(struct settings, f)
#define REQ(f) W_REQ, offsetof(struct http_opts, f)

/* The keys of [fetch]; the W_REQ ones are also allowed in [source ID]. */
static const struct key_def settings_keys[] = {
	{ "user_agent", K_STR, RUN(user_agent), 0, 0, "User-Agent sent with every request" },
	{ "parallel", K_INT, RUN(parallel), 1, 64, "transfers at once (default 4)" },
	{ "per_host", K_INT, RUN(per_host), 1, 16, "transfers at once to one host (default 1)" },
	{ "robots", K_BOOL, RUN(robots), 0, 1, "obey robots.txt (default yes)" },
	{ "lock_wait_ms", K_LONG, RUN(lock_wait_ms), 0, 86400000L, "wait for the run lock (default 60000)" },
	{ "busy_timeout_ms", K_INT, RUN(busy_timeout_ms), 1, 3600000, "wait for another writer's transaction (default 10000)" },
	{ "snapshot_keep_days", K_INT, RUN(snapshot_keep_days), 0, 100000, "keep every snapshot this many days; 0 keeps all (default 90)" },
	{ "missed_runs", K_INT, RUN(missed_runs), 1, 1000, "absent from this many successful runs: removed (default 3)" },
	{ "connect_timeout_ms", K_LONG, REQ(connect_timeout_ms), 1, 600000L, "connect timeout (default 10000)" },
	{ "total_timeout_ms", K_LONG, REQ(total_timeout_ms), 1, 3600000L, "whole-transfer timeout (default 120000)" },
	{ "low_speed_limit", K_LONG, REQ(low_speed_limit), 1, 1L << 30, "bytes/s under which a transfer is slow (default 1)" },
	{ "low_speed_time_s", K_LONG, REQ(low_speed_time_s), 1, 3600, "seconds slow before giving up (default 30)" },
	{ "max_redirects", K_LONG, REQ(max_redirects), 1, 50, "redirects followed (default 5)" },
	{ "max_body", K_SIZE, REQ(max_body), 1, LONG_MAX, "largest body in bytes, K/M/G suffixes (default 32M)" },
	{ "retries", K_INT, REQ(retries), -1, 10, "extra attempts on network errors, 5xx, 429; -1 none (default 2)" },
	{ "retry_base_ms", K_LONG, REQ(retry_base_ms), 1, 3600000L, "first backoff, doubled each time (default 1000)" },
	{ "retry_after_cap_s", K_LONG, REQ(retry_after_cap_s), 1, 86400, "largest Retry-After honoured (default 300)" },
};

void settings_init(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	s->parallel = 4;
	s->per_host = 1;
	s->robots = 1;
	s->lock_wait_ms = 60000;
	s->busy_timeout_ms = 10000;
	s->snapshot_keep_days = 90;
	s->missed_runs = 3;
	s->notify.failing_runs = 3;
}

void settings_release(struct settings *s)
{
	size_t i;

	if (!s)
		return;
	free(s->path);
	free(s->user_agent);
	for (i = 0; i < s->nsources; i++) {
		free(s->sources[i].id);
		free(s->sources[i].url);
	}
	free(s->sources);
	notify_config_release(&s->notify);
	settings_init(s);
}

char *settings_default_path(void)
{
	const char *env = getenv("TOKENTREND_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (env && *env)
		buf_adds(&b, env);
	else if (xdg && *xdg)
		buf_addf(&b, "%s/tokentrend/tokentrend.conf", xdg);
	else
		buf_addf(&b, "%s/.config/tokentrend/tokentrend.conf", home && *home ? home : ".");
	return buf_detach(&b, NULL);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_long(const char *v, int size_suffix, long *out)
{
	char *end;
	long n, mul = 1;

	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || errno)
		return -1;
	if (size_suffix && *end) {
		switch (*end) {
		case 'k': case 'K': mul = 1024L; break;
		case 'm': case 'M': mul = 1024L * 1024; break;
		case 'g': case 'G': mul = 1024L * 1024 * 1024; break;
		default: return -1;
		}
		end++;
	}
	if (*end)
		return -1;
	if (n > LONG_MAX / mul || n < LONG_MIN / mul)
		return -1;
	*out = n * mul;
	return 0;
}

static int set_key(const struct key_def *k, void *base, const char *v, const char *where,
		   struct tt_error *err)
{
	char *p = (char *)base + k->off;
	long n = 0;

	if (k->type == K_STR) {
		char **dst = (char **)(void *)p;
		free(*dst);
		*dst = strdup(v);
		return *dst ? 0 : tt_set_error(err, TT_ENOMEM, "out of memory");
	}
	if (k->type == K_BOOL) {
		if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "on"))
			n = 1;
		else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "off"))
			n = 0;
		else
			return tt_set_error(err, TT_EINVAL, "%s: %s wants yes or no, not '%s'", where, k->key, v);
	} else if (parse_long(v, k->type == K_SIZE, &n) < 0 || n < k->min || n > k->max) {
		return tt_set_error(err, TT_EINVAL, "%s: %s wants a whole number from %ld to %ld (%s), not '%s'",
				    where, k->key, k->min, k->max, k->help, v);
	}
	switch (k->type) {
	case K_LONG: *(long *)(void *)p = n; break;
	case K_SIZE: *(size_t *)(void *)p = (size_t)n; break;
	case K_INT:
	case K_BOOL: *(int *)(void *)p = (int)n; break;
	case K_STR: break;
	}
	return 0;
}

static const struct key_def *find_key(const char *key)
{
	size_t i;

	for (i = 0; i < TT_ARRAY_SIZE(settings_keys); i++)
		if (!strcmp(settings_keys[i].key, key))
			return &settings_keys[i];
	return NULL;
}

static struct settings_source *source_of(struct settings *s, const char *id)
{
	struct settings_source *v;
	size_t i;

	for (i = 0; i < s->nsources; i++)
		if (!strcmp(s->sources[i].id, id))
			return &s->sources[i];
	v = realloc(s->sources, (s->nsources + 1) * sizeof(*v));
	if (!v)
		return NULL;
	s->sources = v;
	v = &s->sources[s->nsources];
	memset(v, 0, sizeof(*v));
	v->id = strdup(id);
	if (!v->id)
		return NULL;
	s->nsources++;
	return v;
}

static int is_http_url(const char *v)
{
	return !strncmp(v, "http://", 7) || !strncmp(v, "https://", 8);
}

static int notify_key(struct settings *s, const char *key, const char *v, const char *where,
		      struct tt_error *err)
{
	struct notify_config *n = &s->notify;
	long num;

	if (!strcmp(key, "webhook")) {
		/* A secret: never echo the value. */
		if (!is_http_url(v))
			return tt_set_error(err, TT_EINVAL, "%s: webhook must be an http:// or https:// URL "
					    "(value not shown: it is a secret)", where);
		free(n->webhook);
		n->webhook = strdup(v);
		return n->webhook ? 0 : tt_set_error(err, TT_ENOMEM, "out of memory");
	}
	if (!strcmp(key, "command")) {
		char **argv = NULL;
		int r = notify_split_command(v, &argv, err);
		if (r < 0) {
			char msg[sizeof(err->msg)];
			snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
			return tt_set_error(err, TT_EINVAL, "%s: command: %s", where, msg);
		}
		notify_argv_free(n->command);
		n->command = argv;
		return 0;
	}
	if (!strcmp(key, "rule")) {
		struct notify_rule r, *nv;
		if (notify_rule_parse(v, &r, err) < 0) {
			char msg[sizeof(err->msg)];
			snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
			return tt_set_error(err, TT_EINVAL, "%s: %s", where, msg);
		}
		nv = realloc(n->rules, (n->nrules + 1) * sizeof(*nv));
		if (!nv) {
			notify_rule_release(&r);
			return tt_set_error(err, TT_ENOMEM, "out of memory");
		}
		n->rules = nv;
		n->rules[n->nrules++] = r;
		return 0;
	}
	if (!strcmp(key, "failing_runs") || !strcmp(key, "timeout_ms")) {
		int failing = !strcmp(key, "failing_runs");
		if (parse_long(v, 0, &num) < 0 || num < 1 || num > (failing ? 1000 : 3600000L))
			return tt_set_error(err, TT_EINVAL, "%s: %s wants a whole number from 1 to %ld, not '%s'",
					    where, key, failing ? 1000L : 3600000L, v);
		if (failing)
			n->failing_runs = (int)num;
		else
			n->timeout_ms = num;
		return 0;
	}
	return tt_set_error(err, TT_EINVAL, "%s: unknown key '%s' in [notify] (webhook, command, rule, "
			    "failing_runs, timeout_ms)", where, key);
}

enum section { S_FETCH, S_SOURCE, S_NOTIFY };

int settings_load(struct settings *s, const char *path, struct tt_error *err)
{
	char *dflt = NULL, line[4096];
	const char *file = path;
	struct settings_source *src = NULL;
	enum section sec = S_FETCH;
	FILE *f = NULL;
	int rc = 0, lineno = 0;
	const char *env;

	if (!file) {
		dflt = settings_default_path();
		file = dflt;
	}
	f = fopen(file, "r");
	if (!f) {
		if (errno == ENOENT && (!path && !getenv("TOKENTREND_CONFIG")))
			goto env; /* no file: defaults */
		rc = tt_set_error(err, TT_EIO, "cannot read configuration file '%s': %s", file, strerror(errno));
		goto out;
	}
	free(s->path);
	s->path = strdup(file);
	while (fgets(line, sizeof(line), f)) {
		char where[512], *p, *eq, *key, *val;

		lineno++;
		snprintf(where, sizeof(where), "%s:%d", file, lineno);
		if (!strchr(line, '\n') && !feof(f)) {
			rc = tt_set_error(err, TT_EINVAL, "%s: line too long", where);
			goto out;
		}
		p = trim(line);
		if (!*p || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			char *close = strchr(p, ']');
			if (!close || close[1]) {
				rc = tt_set_error(err, TT_EINVAL, "%s: bad section header '%s'", where, p);
				goto out;
			}
			*close = '\0';
			p = trim(p + 1);
			if (!strcmp(p, "fetch")) {
				sec = S_FETCH;
			} else if (!strcmp(p, "notify")) {
				sec = S_NOTIFY;
			} else if (!strncmp(p, "source", 6) && isspace((unsigned char)p[6])) {
				sec = S_SOURCE;
				src = source_of(s, trim(p + 7));
				if (!src) {
					rc = tt_set_error(err, TT_ENOMEM, "out of memory");
					goto out;
				}
			} else {
				rc = tt_set_error(err, TT_EINVAL, "%s: unknown section [%s] (fetch, source ID, notify)",
						  where, p);
				goto out;
			}
			continue;
		}
		eq = strchr(p, '=');
		if (!eq) {
			rc = tt_set_error(err, TT_EINVAL, "%s: expected 'key = value'", where);
			goto out;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (sec == S_NOTIFY) {
			rc = notify_key(s, key, val, where, err);
		} else if (sec == S_SOURCE && !strcmp(key, "url")) {
			if (!is_http_url(val)) {
				rc = tt_set_error(err, TT_EINVAL, "%s: url must start with http:// or https://", where);
			} else {
				free(src->url);
				src->url = strdup(val);
				rc = src->url ? 0 : tt_set_error(err, TT_ENOMEM, "out of memory");
			}
		} else {
			const struct key_def *k = find_key(key);
			if (!k || (sec == S_SOURCE && k->where != W_REQ))
				rc = tt_set_error(err, TT_EINVAL, "%s: unknown key '%s' in [%s]", where, key,
						  sec == S_SOURCE ? "source" : "fetch");
			else
				rc = set_key(k, k->where == W_RUN ? (void *)s
						: sec == S_SOURCE ? (void *)&src->http : (void *)&s->http,
					     val, where, err);
		}
		if (rc < 0)
			goto out;
	}
	if (ferror(f))
		rc = tt_set_error(err, TT_EIO, "cannot read configuration file '%s'", file);
env:
	env = getenv("TOKENTREND_LOCK_WAIT_MS");
	if (rc == 0 && env && *env) {
		long n;
		if (parse_long(env, 0, &n) < 0 || n < 0)
			rc = tt_set_error(err, TT_EINVAL, "TOKENTREND_LOCK_WAIT_MS: not a number of milliseconds: '%s'", env);
		else
			s->lock_wait_ms = n;
	}
	s->http.user_agent = s->user_agent;
out:
	if (f)
		fclose(f);
	free(dflt);
	return rc;
}

void settings_source_http(const struct settings *s, const char *id, const char *catalog_url,
			  struct http_opts *out, const char **url)
{
	size_t i;

	*out = s->http;
	out->user_agent = s->user_agent;
	*url = catalog_url;
	for (i = 0; i < s->nsources; i++) {
		const struct settings_source *o = &s->sources[i];
		if (strcmp(o->id, id))
			continue;
		if (o->url)
			*url = o->url;
#define OVR(f) if (o->http.f) out->f = o->http.f
		OVR(connect_timeout_ms);
		OVR(total_timeout_ms);
		OVR(low_speed_limit);
		OVR(low_speed_time_s);
		OVR(max_redirects);
		OVR(max_body);
		OVR(retries);
		OVR(retry_base_ms);
		OVR(retry_after_cap_s);
#undef OVR
	}
}
