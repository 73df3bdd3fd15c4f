/*
 * extract_skips.c - the per-reason count of what an extractor skipped.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/extract.h"

int extract_skips_add(struct extract_skips *s, const char *reason, const char *example)
{
	struct extract_skip *e;
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i].reason, reason)) {
			s->v[i].count++;
			return 0;
		}
	}
	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 8;
		struct extract_skip *nv = realloc(s->v, na * sizeof(*nv));
		if (!nv)
			return TT_ENOMEM;
		s->v = nv;
		s->alloc = na;
	}
	e = &s->v[s->n];
	e->reason = strdup(reason);
	e->example = example ? strdup(example) : NULL;
	e->count = 1;
	if (!e->reason || (example && !e->example)) {
		FREE_AND_NULL(e->reason);
		FREE_AND_NULL(e->example);
		return TT_ENOMEM;
	}
	s->n++;
	return 0;
}

size_t extract_skips_count(const struct extract_skips *s, const char *reason)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].reason, reason))
			return s->v[i].count;
	return 0;
}

void extract_skips_release(struct extract_skips *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		FREE_AND_NULL(s->v[i].reason);
		FREE_AND_NULL(s->v[i].example);
	}
	FREE_AND_NULL(s->v);
	s->n = 0;
	s->alloc = 0;
}
