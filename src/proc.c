/*
 * proc.c - fork/execvp with pipes for stdin/stdout/stderr, a time limit,
 * and exec failures reported through a close-on-exec pipe (see proc.h).
 */
#include "tokentrend/tt_compat.h"
#include "tokentrend/proc.h"

#include <poll.h>

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int proc_run(char *const argv[], char *const env_add[], const char *in, size_t inlen,
	     struct buf *out, struct buf *errout, long timeout_ms, int *status, struct tt_error *err)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 }, pexec[2] = { -1, -1 };
	long long deadline;
	size_t written = 0;
	int exec_errno = 0, rc = 0, wst = 0, reaped = 0;
	struct sigaction ign, old_pipe;
	pid_t pid;

	*status = -1;
	if (!argv || !argv[0])
		return tt_set_error(err, TT_EINVAL, "no program to run");
	/* A child that exits without reading its input must not kill us. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old_pipe);
	if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC) ||
	    pipe2(pexec, O_CLOEXEC)) {
		rc = tt_set_error(err, TT_EFAIL, "%s: cannot create pipes: %s", argv[0], strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = tt_set_error(err, TT_EFAIL, "%s: cannot fork: %s", argv[0], strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int e, devnull = open("/dev/null", O_WRONLY);
		size_t i;

		signal(SIGPIPE, SIG_DFL);
		dup2(pin[0], 0);
		dup2(out ? pout[1] : devnull, 1);
		if (errout)
			dup2(perr[1], 2);
		for (i = 0; env_add && env_add[i]; i++)
			putenv(env_add[i]);
		execvp(argv[0], argv);
		e = errno;
		if (write(pexec[1], &e, sizeof(e)) < 0)
			_exit(126);
		_exit(127);
	}
	close_fd(&pin[0]);
	close_fd(&pout[1]);
	close_fd(&perr[1]);
	close_fd(&pexec[1]);
	if (read(pexec[0], &exec_errno, sizeof(exec_errno)) == (ssize_t)sizeof(exec_errno)) {
		waitpid(pid, &wst, 0);
		rc = tt_set_error(err, TT_ENOTFOUND, "cannot run '%s': %s", argv[0], strerror(exec_errno));
		goto out;
	}
	if (!in || inlen == 0)
		close_fd(&pin[1]);
	else
		fcntl(pin[1], F_SETFL, O_NONBLOCK);
	deadline = mono_ms() + (timeout_ms > 0 ? timeout_ms : 60000);
	for (;;) {
		struct pollfd p[3];
		int np = 0, i, left;
		char chunk[4096];

		if (pin[1] >= 0)
			p[np++] = (struct pollfd){ pin[1], POLLOUT, 0 };
		if (pout[0] >= 0)
			p[np++] = (struct pollfd){ pout[0], POLLIN, 0 };
		if (perr[0] >= 0)
			p[np++] = (struct pollfd){ perr[0], POLLIN, 0 };
		if (np == 0)
			break;
		left = (int)(deadline - mono_ms());
		if (left <= 0)
			break;
		if (poll(p, (nfds_t)np, left > 200 ? 200 : left) < 0 && errno != EINTR)
			break;
		for (i = 0; i < np; i++) {
			if (!p[i].revents)
				continue;
			if (p[i].fd == pin[1]) {
				ssize_t w = write(pin[1], in + written, inlen - written);
				if (w > 0)
					written += (size_t)w;
				if (w < 0 && errno != EAGAIN)
					close_fd(&pin[1]);
				if (written == inlen)
					close_fd(&pin[1]);
			} else {
				ssize_t r = read(p[i].fd, chunk, sizeof(chunk));
				struct buf *dst = p[i].fd == pout[0] ? out : errout;
				if (r <= 0) {
					if (p[i].fd == pout[0])
						close_fd(&pout[0]);
					else
						close_fd(&perr[0]);
				} else if (dst) {
					buf_add(dst, chunk, (size_t)r); /* over the cap: the rest is dropped */
				}
			}
		}
	}
	/* Output closed (or time is up): wait for the exit within what is left. */
	while (!reaped) {
		pid_t w = waitpid(pid, &wst, WNOHANG);
		if (w == pid) {
			reaped = 1;
			break;
		}
		if (mono_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &wst, 0);
			rc = tt_set_error(err, TT_EFAIL, "'%s' took longer than %ld ms and was stopped", argv[0],
					  timeout_ms > 0 ? timeout_ms : 60000);
			reaped = 1;
			break;
		}
		{
			struct timespec ts = { 0, 5 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	if (WIFEXITED(wst))
		*status = WEXITSTATUS(wst);
	else if (WIFSIGNALED(wst))
		*status = 128 + WTERMSIG(wst);
out:
	close_fd(&pin[0]);
	close_fd(&pin[1]);
	close_fd(&pout[0]);
	close_fd(&pout[1]);
	close_fd(&perr[0]);
	close_fd(&perr[1]);
	close_fd(&pexec[0]);
	close_fd(&pexec[1]);
	sigaction(SIGPIPE, &old_pipe, NULL);
	return rc;
}
