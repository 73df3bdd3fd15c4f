/*
 * price.h - one observed price and a growable list of them.
 *
 * This is the record that flows extract -> normalise -> validate -> store:
 * a price key (provider, model, dimension, tier, condition, region), its
 * unit and currency, the exact value in nano-units with the text it was
 * read from, and where it came from.  Strings are owned by the record
 * (malloc'd); price_list_free() frees them all.
 *
 * Vocabulary (DESIGN.md "Money, units, dimensions"):
 *   dimension: input output cache_read cache_write cache_write_1h
 *              cache_storage reasoning image second character request query
 *              (the 2023 OpenAI page adds: training, minute)
 *   tier:      standard batch flex priority (or a named level, lowercase)
 *   condition: "" or comma-joined terms in fixed order: prompt band
 *              ("prompt<=200k"), time band ("offpeak"/"peak"), modality
 *   unit:      "1M tokens" for token prices; else e.g. "1M characters",
 *              "image", "second", "request", "1K queries", "1M tokens/hour"
 */
#ifndef TT_PRICE_H
#define TT_PRICE_H

#include <stddef.h>
#include <stdint.h>

#define PRICE_UNIT_MTOK "1M tokens"

struct price {
	char *provider;   /* who sells at this price: "openai", "openrouter" */
	char *model;      /* the seller's model id, as published */
	char *dimension;  /* see above */
	char *tier;       /* "standard" unless stated */
	char *condition;  /* "" when none */
	char *region;     /* "" when none */
	char *unit;       /* PRICE_UNIT_MTOK for tokens */
	char *currency;   /* ISO 4217: "USD", "CNY", "EUR" */
	int64_t nanos;    /* 1e-9 currency units per unit; 0 = free (known) */
	char *text;       /* the text the value was read from, as published */
	char *note;       /* free text: hours of a time band, "deprecated"... or NULL */
	char *effective;  /* YYYY-MM-DD the source says the price took effect, or NULL */
	char *origin;     /* provenance: file, commit, original key of an import; or NULL */
	char *observed;   /* YYYY-MM-DD on which the source vouches for this value when that is
			   * not the capture's own date (a past period of a dated history such
			   * as llm-prices' price_history), or NULL: observed on the capture's
			   * date.  Stored by backfill_observe() (backfill.h). */
};

struct price_list {
	struct price *v; /* items, owned */
	size_t n;        /* items used */
	size_t alloc;    /* items allocated */
};

#define PRICE_LIST_INIT { NULL, 0, 0 }

/*
 * Append a price: every string is copied (NULL tier -> "standard", NULL
 * condition/region -> "", NULL unit -> PRICE_UNIT_MTOK, NULL currency ->
 * "USD"; note, effective, origin and observed stay NULL when NULL).  Returns 0 or TT_ENOMEM.
 */
int price_list_add(struct price_list *l, const struct price *p);

/* Append *p as it is, moving the ownership of its strings to l (nothing is
 * copied or defaulted).  Returns 0, or TT_ENOMEM with *p still the caller's. */
int price_list_take(struct price_list *l, const struct price *p);

/* Free every item and the array; the list is left empty.  NULL is a no-op. */
void price_list_release(struct price_list *l);

/* Free the strings of one price (not the struct itself). */
void price_release(struct price *p);

/* Compare two prices by key (provider, model, dimension, tier, condition,
 * region, unit, currency), strcmp-style; for qsort. */
int price_key_cmp(const void *a, const void *b);

#endif /* TT_PRICE_H */
