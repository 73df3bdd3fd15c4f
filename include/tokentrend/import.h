/*
 * import.h - importing curated price history from other tools' files.
 *
 * import_csv_parse() reads the history CSV of ../shared/data/price-history.csv
 * (columns matched by header name, any order, extra columns ignored):
 *
 *     date,provider,model,input_per_mtok,output_per_mtok,cached_input_per_mtok,source
 *     2024-11-14,openai,gpt-4o,2.5,10,1.25,tokencost@...:tokencost/model_prices.json
 *
 * Prices are USD per 1M tokens as plain decimals.  An empty (or blank)
 * price cell is that price absent from the row: nothing is stored for it,
 * never 0, and the row's other prices load; a row whose price cells are
 * all empty has no price and is rejected.  source and
 * cached_input_per_mtok are optional columns.  RFC 4180 quoting ("a,b",
 * "say ""x""", line breaks inside quotes), LF or CRLF line ends, a UTF-8
 * BOM and blank lines are accepted.
 *
 * Each good row gives up to three prices (input, output, cache_read) with
 * tier "standard", no condition or region, unit "1M tokens", currency USD,
 * text = the cell as written, effective NULL (the date is when the table
 * learnt of the price, not when the price took effect) and origin =
 *     "file=price-history.csv line=42 source=<source column> provider=P model=M"
 * where P and M are the row's original, unmapped provider and model.
 * When one key (after mapping) appears twice on one date, the later row is
 * that day's state (rows follow commit order): the earlier row's prices
 * are dropped and it is reported as "superseded later the same day".
 *
 * Provider names (LiteLLM's) map to our source ids; a leading "<name>/" on
 * the model is stripped when <name> names the row's own provider:
 *
 *   CSV provider         provider stored   model prefixes stripped
 *   vertex_ai            vertex            vertex_ai/  vertex/
 *   together             together          together_ai/  together/
 *   openai anthropic gemini deepseek zai mistral groq xai openrouter
 *   azure bedrock        (same name)       <name>/
 *   anything else        kept as published <name>/
 *
 * so "gemini,gemini/gemini-2.0-flash" is model gemini-2.0-flash sold by
 * gemini and "openrouter,openrouter/openai/o1" is openai/o1 sold by
 * openrouter.  A prefix naming another provider is kept as published
 * ("openai,azure/gpt-35-turbo-instruct" stays so); nothing is guessed.
 *
 * Rows are validated one by one (DESIGN.md "Extraction rules"): a bad row
 * is recorded in rejects with its line, column, value and reason, and
 * skipped; the rest loads.  Reasons (fixed phrases, for counting):
 *   "wrong field count", "bad quoting", "NUL byte in a field", "bad date", "empty provider or model",
 *   "no price (every price cell is empty)", "empty price" (the export
 *   shape's price cell), "not a number", "negative price",
 *   "implausible price (> 1000 per 1M tokens)", "rounds to 0",
 *   "cache read not below input" (cached >= input, except a free 0/0 row;
 *   judged only when the row has an input price),
 *   "superseded later the same day" (value: "line N", the later row).
 */
/*
 * The export's fuller shape (`tokentrend export --format csv`, recognised
 * by its header having dimension, price, valid_from and source columns):
 *
 *     provider,model,dimension,tier,condition,region,unit,currency,price,
 *     valid_from,valid_to,first_seen,last_seen,source,note
 *
 * one row per interval.  Each row becomes observations of its source on
 * first_seen and last_seen (price.observed) with effective = valid_from,
 * and an interval that ends (valid_to) with no interval of the same key
 * and source starting there is a removal on valid_to (day->removals).  So
 * importing an export rebuilds the same intervals and change events.
 * Days are one per source (day->source), prices carry their own dates.
 * Required columns: provider, model, dimension, price, valid_from, source;
 * tier (standard), condition, region (""), unit (1M tokens), currency (USD),
 * first_seen (valid_from), last_seen (first_seen), valid_to, note optional.
 * Extra reasons: "bad unit or currency", "bad interval dates",
 * "implausible price" (validate_price_bounds).  origin =
 *     "file=F line=N source=S"
 */
#ifndef TT_IMPORT_H
#define TT_IMPORT_H

#include <stddef.h>

#include "tokentrend/err.h"
#include "tokentrend/price.h"

/* The prices observed on one date. */
struct import_day {
	char date[11];            /* YYYY-MM-DD */
	struct price_list prices; /* owned; rows in file order */
	char source[32];          /* export shape: the rows' source id; "" in the
				   * bundled shape (the caller names the source) */
	struct price_list removals; /* export shape: keys whose interval ended
				     * without a successor, each with
				     * observed = the end date; owned */
};

/* One skipped row. */
struct import_reject {
	size_t line;        /* 1-based line where the record starts */
	const char *reason; /* static fixed phrase, see above */
	const char *column; /* static column name ("input_per_mtok"), or NULL */
	char *value;        /* owned copy of the offending value, or NULL */
};

struct import_result {
	struct import_day *days;       /* owned; in date order, one per date */
	size_t ndays;
	struct import_reject *rejects; /* owned; in line order */
	size_t nrejects;
	size_t rows;                   /* data records read (accepted + rejected) */
	size_t accepted;               /* rows whose prices are in days */
	size_t nprices;                /* prices over all days */
};

#define IMPORT_RESULT_INIT { NULL, 0, NULL, 0, 0, 0, 0 }

/*
 * Parse a history CSV.
 *   body, len  [in] the file's bytes (not necessarily NUL-terminated).
 *   origin     [in] the file path; its last component names the file in
 *              each price's origin and in messages.  NULL means "csv".
 *   out        [out] filled on success (start from IMPORT_RESULT_INIT);
 *              release with import_result_release().
 * Returns the number of accepted rows (>= 0), or TT_EPARSE when the body
 * is empty or the header lacks a required column (date, provider, model,
 * input_per_mtok, output_per_mtok), or TT_ENOMEM; on failure *out is
 * released.  Bad rows are not failures: see out->rejects.
 */
int import_csv_parse(const char *body, size_t len, const char *origin, struct import_result *out,
		     struct tt_error *err);

/* Free everything in *r and reset it to IMPORT_RESULT_INIT.  NULL is a no-op. */
void import_result_release(struct import_result *r);

/* How many rejects carry reason (compared with strcmp).  r NULL gives 0. */
size_t import_reject_count(const struct import_result *r, const char *reason);

/*
 * Map a LiteLLM provider name to our source id per the table above:
 * returns a static string, or provider itself when it is not in the table.
 */
const char *import_provider_id(const char *provider);

/*
 * The model id with a leading "<name>/" removed when <name> names provider
 * (the CSV's name, its source id or an alias from the table); otherwise
 * model itself.  Returns a pointer into model (never NULL for non-NULL model).
 */
const char *import_model_id(const char *provider, const char *model);

#endif /* TT_IMPORT_H */
