/*
 * proc.h - running another program without a shell.
 *
 * fork + execvp of an argv array: nothing is expanded, quoted or
 * interpreted, so text from a web page passed as an argument, in the
 * environment or on standard input can never become a command.  Used by
 * notifications (the user's command) and by `schedule` (systemctl,
 * crontab, loginctl: found on PATH, which tests point at stubs).
 */
#ifndef TT_PROC_H
#define TT_PROC_H

#include <stddef.h>

#include "tokentrend/buf.h"
#include "tokentrend/err.h"

/*
 * Run argv[0] (searched on PATH) with argv.
 *   env_add    [in] extra "NAME=value" strings for the child, NULL-terminated, or NULL.
 *   in, inlen  [in] bytes written to the child's standard input (then closed); in NULL: empty.
 *   out        [out] the child's standard output (appended; its cap applies), or NULL to discard.
 *   errout     [out] the child's standard error, or NULL to let it through to ours.
 *   timeout_ms [in] kill (SIGKILL) the child after this long; <= 0: 60000.
 *   status     [out] the exit status (0-255), or 128 + signal number.
 * Returns 0 when the program ran (whatever its status), TT_ENOTFOUND when
 * it could not be executed (not found, not executable: *err says which),
 * TT_EFAIL when it was killed for taking too long or fork/pipe failed.
 */
int proc_run(char *const argv[], char *const env_add[], const char *in, size_t inlen,
	     struct buf *out, struct buf *errout, long timeout_ms, int *status, struct tt_error *err);

#endif /* TT_PROC_H */
