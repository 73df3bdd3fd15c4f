/*
 * err.c - error codes to text, and the struct tt_error setter.
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/err.h"

const char *tt_strerror(int code)
{
	switch (code) {
	case TT_OK: return "success";
	case TT_EFAIL: return "failure";
	case TT_ENOMEM: return "out of memory or size cap exceeded";
	case TT_EINVAL: return "invalid argument or value";
	case TT_ENET: return "network error";
	case TT_EPARSE: return "extraction failed";
	case TT_EDB: return "database error";
	case TT_EIO: return "input/output error";
	case TT_ENOTFOUND: return "not found";
	case TT_EBUSY: return "busy";
	case TT_EVALIDATE: return "validation failed";
	case TT_EBLOCKED: return "blocked by the source";
	case TT_ERANGE: return "number out of range";
	}
	return "unknown error";
}

int tt_error_set(struct tt_error *err, int code, const char *func, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->func = func;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void tt_error_clear(struct tt_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->func = NULL;
	err->msg[0] = '\0';
}
