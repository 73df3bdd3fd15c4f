/*
 * forecast_mix.c - the series behind `forecast --group NAME` (a capability
 * group's cheapest price over time) and `forecast --profile FILE` (a
 * workload's blended price), shared with `plot forecast`.
 */
#include "tokentrend/tt_compat.h"
#include "cli.h"
#include "forecast_cli.h"

#include "tokentrend/models.h"
#include "tokentrend/profile.h"
#include "tokentrend/series_mix.h"

int forecast_cli_load_mix(const char *what, struct app *app, const struct forecast_cli *fc,
			  struct series *s)
{
	struct models cat = MODELS_INIT;
	struct profile prof;
	struct tt_error err = { 0 };
	int rc;

	memset(&prof, 0, sizeof(prof));
	rc = models_load(&cat, fc->models, &err);
	if (rc < 0) {
		rc = cli_report(what, rc, &err);
		goto out;
	}
	if (fc->group) {
		struct series_group_options o = { fc->sel.dimension, fc->sel.tier, fc->sel.currency,
						  fc->sel.provider, fc->sel.source, fc->all_sellers };

		rc = series_group_load(app->st, &cat, fc->group, &o, s, NULL, &err);
	} else {
		struct series_blend_options o = { fc->sel.currency, fc->sel.source };

		rc = profile_load(&prof, fc->profile, &err);
		if (rc < 0) {
			/* a bad profile is bad input: exit 2 like a bad option value */
			rc = cli_report(what, rc, &err);
			goto out;
		}
		rc = series_blend_load(app->st, &prof, &cat, &o, s, &err);
	}
	if (rc < 0) {
		rc = cli_report(what, rc, &err);
		goto out;
	}
	rc = -1;
out:
	profile_release(&prof);
	models_release(&cat);
	return rc;
}
