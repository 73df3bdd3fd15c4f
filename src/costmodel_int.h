/*
 * costmodel_int.h - what costmodel.c shares with costmodel_project.c and
 * costmodel_render.c: a model's candidate price rows, pricing on a day,
 * change dates, and model specs.  Not a public API.
 */
#ifndef TT_COSTMODEL_INT_H
#define TT_COSTMODEL_INT_H

#include "tokentrend/costmodel.h"

/* One stored interval that may price a line of a model. */
struct cm_row {
	const struct price_row *r; /* borrowed from cm->use */
	int64_t from, to;          /* days; to = INT64_MAX while open */
	int dim;                   /* 0 input, 1 cache_read, 2 cache_write, 3 output */
	int batch;                 /* tier: 0 standard, 1 batch */
	int rank;                  /* query_source_rank */
	int regional;              /* has a region */
	int exact;                 /* the name given (not a catalog alias) */
	int band_kind;             /* 0 none, 1 lower band (prompt<..), 2 upper (prompt>..) */
	int band_incl;             /* <= or >= */
	int64_t band_bound;        /* tokens */
};

/* The rows of one model at one seller (the name given and its catalog aliases). */
struct cm_cands {
	struct cm_row *v;
	size_t n, alloc;
	const char *provider, *model; /* borrowed */
};

/* Specs resolved to models (PROVIDER/MODEL, catalog id at its maker, group members). */
struct cm_specs {
	struct profile_model *v; /* provider/model owned, share PROFILE_PPB */
	char **canonical;        /* owned */
	size_t n, alloc;
};

int64_t cm_div_half_even(__int128 num, __int128 den);
int cm_cands_for(const struct costmodel *cm, const char *provider, const char *model,
		 struct cm_cands *out);
void cm_cands_release(struct cm_cands *c);
const struct cm_row *cm_pick(const struct cm_cands *c, int dim, int batch, int64_t day,
			     int64_t prompt_len);
int cm_models_setup(const struct costmodel *cm, const struct profile_model *models, size_t n,
		    struct cm_cands **cands, int64_t **shares, struct tt_error *err);
void cm_models_free(struct cm_cands *cands, int64_t *shares, size_t n);
/* Price the profile's mix on day; *sum_out (may be NULL) gets sum tokens x price. */
int cm_price_day(const struct costmodel *cm, const struct cm_cands *cands, const int64_t *shares,
		 size_t n_models, int64_t day, struct costmodel_bill *out, __int128 *sum_out,
		 struct tt_error *err);
/* Sorted unique from/to days of the rows, up to and including `until`.  Caller frees *out. */
int cm_change_days(const struct cm_cands *cands, size_t n, int64_t until, int64_t **out,
		   size_t *n_out);
int cm_specs_resolve(const struct costmodel *cm, const char *const *specs, size_t n,
		     struct cm_specs *out, struct tt_error *err);
void cm_specs_release(struct cm_specs *s);

#endif /* TT_COSTMODEL_INT_H */
