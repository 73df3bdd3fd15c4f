/*
 * log.c - the one logging module: leveled messages to stderr.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/log.h"

int log_threshold = -1;

void log_set_level(int level)
{
	log_threshold = level;
}

void log_write(int level, const char *func, const char *fmt, ...)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	va_list ap;

	if (level < 0 || level > LOG_DEBUG)
		level = LOG_DEBUG;
	fprintf(stderr, "tokentrend: %s: %s: ", names[level], func);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
