/*
 * tt_httpd.h - a scripted HTTP/1.1 server on loopback for the fetch tests
 * (header-only; each test program includes it once).
 *
 * A test lists routes; each route answers its successive requests with its
 * steps in turn (the last step repeats): a raw response written as is, or
 * a status + headers + body that the server frames (Content-Length,
 * Connection: close), optionally gzip-compressed, after an optional delay,
 * optionally followed by a stall (the connection is held open, silent,
 * until the client leaves).  Every connection gets its own thread, so
 * concurrent fetches really run at once; the server counts requests per
 * route, keeps the last request's headers, and records the largest number
 * of connections open at once.  Tests wait for events (httpd_wait_hits),
 * never for time.
 */
#ifndef TT_HTTPD_H
#define TT_HTTPD_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

struct httpd_step {
	const char *raw;      /* a whole response, written as is (wins over the rest) */
	int status;           /* else: status line code (200 when 0) */
	const char *headers;  /* extra header lines, each ending in \r\n, or NULL */
	const char *body;     /* body text, or NULL */
	int gzip;             /* 1: gzip the body and label it */
	long delay_ms;        /* wait before answering (ends early if the client leaves) */
	int stall;            /* 1: after writing, hold the connection open until the client leaves */
	int barrier;          /* > 0: answer only once this many barrier requests have arrived
			       * (since httpd_routes); with a client limited to fewer at once
			       * the answer waits 5 s, which a test sees in open_max */
};

struct httpd_route {
	const char *path;
	struct httpd_step steps[4]; /* served in turn; the last non-empty one repeats */
	int hits;                   /* requests seen (under the server's mutex) */
	char last_request[2048];    /* the latest request's head */
	char last_body[16384];      /* the latest request's body (POST), cut to fit */
};

struct httpd {
	int fd;
	int port;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct httpd_route *routes;
	size_t nroutes;
	int open_now;               /* requests received and not yet answered */
	int open_max;               /* the most at once */
	int barrier_arrived;        /* requests that reached a barrier step so far */
	int active_threads;
	int quitting;
};

static inline void httpd_send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Wait up to ms, returning early (1) when the peer closes or sends. */
static inline int httpd_wait_peer(int fd, long ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char tmp[256];

	while (ms > 0) {
		long step = ms > 100 ? 100 : ms;
		int r = poll(&p, 1, (int)step);
		if (r > 0) {
			ssize_t k = recv(fd, tmp, sizeof(tmp), MSG_DONTWAIT);
			if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
				return 1;
		}
		ms -= step;
	}
	return 0;
}

static inline void httpd_write_step(int fd, const struct httpd_step *s)
{
	char head[1024];
	const char *body = s->body ? s->body : "";
	unsigned char *z = NULL;
	size_t blen = strlen(body);
	int n;

	if (s->raw) {
		httpd_send_all(fd, s->raw, strlen(s->raw));
		return;
	}
	if (s->gzip) {
		z_stream zs;
		size_t cap = blen + 1024;
		z = malloc(cap);
		memset(&zs, 0, sizeof(zs));
		deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
		zs.next_in = (unsigned char *)body;
		zs.avail_in = (unsigned)blen;
		zs.next_out = z;
		zs.avail_out = (unsigned)cap;
		deflate(&zs, Z_FINISH);
		blen = zs.total_out;
		deflateEnd(&zs);
		body = (const char *)z;
	}
	n = snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\n%s%sContent-Length: %zu\r\nConnection: close\r\n\r\n",
		     s->status ? s->status : 200, s->headers ? s->headers : "",
		     s->gzip ? "Content-Encoding: gzip\r\n" : "", blen);
	httpd_send_all(fd, head, (size_t)n);
	httpd_send_all(fd, body, blen);
	free(z);
}

/* A request stops counting as "open" just before its answer is written, so
 * that a client which waits for answers never overlaps two requests. */
static inline void httpd_answered(struct httpd *h)
{
	pthread_mutex_lock(&h->mu);
	h->open_now--;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

struct httpd_conn {
	struct httpd *h;
	int fd;
};

static inline void *httpd_conn_main(void *arg)
{
	struct httpd_conn *c = arg;
	struct httpd *h = c->h;
	int fd = c->fd;
	char req[4096], path[512];
	static __thread char body[16384];
	size_t got = 0, i;
	const struct httpd_step *step = NULL;

	free(c);
	while (got < sizeof(req) - 1) {
		ssize_t r = recv(fd, req + got, sizeof(req) - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[got] = '\0';
	if (sscanf(req, "%*s %511s", path) != 1)
		path[0] = '\0';
	{
		/* A body (POST): what came with the head, then the rest. */
		char *cl = strstr(req, "\r\nContent-Length:"), *end = strstr(req, "\r\n\r\n");
		size_t want = cl ? (size_t)strtoul(cl + 17, NULL, 10) : 0, have;
		have = end ? got - (size_t)(end + 4 - req) : 0;
		if (end)
			memmove(body, end + 4, have < sizeof(body) - 1 ? have : sizeof(body) - 1);
		if (have > sizeof(body) - 1)
			have = sizeof(body) - 1;
		while (have < want && have < sizeof(body) - 1) {
			ssize_t r = recv(fd, body + have, sizeof(body) - 1 - have, 0);
			if (r <= 0)
				break;
			have += (size_t)r;
		}
		body[have] = '\0';
		if (end)
			end[4] = '\0';
	}
	pthread_mutex_lock(&h->mu);
	h->open_now++;
	if (h->open_now > h->open_max)
		h->open_max = h->open_now;
	for (i = 0; i < h->nroutes; i++) {
		struct httpd_route *rt = &h->routes[i];
		int k;
		if (strcmp(rt->path, path))
			continue;
		k = rt->hits < 4 ? rt->hits : 3;
		while (k > 0 && !rt->steps[k].raw && !rt->steps[k].status && !rt->steps[k].body)
			k--;
		rt->hits++;
		snprintf(rt->last_request, sizeof(rt->last_request), "%s", req);
		snprintf(rt->last_body, sizeof(rt->last_body), "%s", body);
		step = &rt->steps[k];
		break;
	}
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	if (!step) {
		static const struct httpd_step nf = { NULL, 404, "Content-Type: text/plain\r\n", "no route", 0, 0, 0, 0 };
		step = &nf;
	}
	if (step->barrier > 0) {
		/* Event, not time: wait for the others (5 s is only a safety net). */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 5;
		pthread_mutex_lock(&h->mu);
		h->barrier_arrived++;
		pthread_cond_broadcast(&h->cv);
		while (h->barrier_arrived < step->barrier &&
		       pthread_cond_timedwait(&h->cv, &h->mu, &until) != ETIMEDOUT)
			;
		pthread_mutex_unlock(&h->mu);
	}
	if (step->delay_ms && httpd_wait_peer(fd, step->delay_ms)) {
		httpd_answered(h);
		goto out;
	}
	httpd_answered(h);
	httpd_write_step(fd, step);
	if (step->stall)
		while (!httpd_wait_peer(fd, 1000))
			;
out:
	close(fd);
	pthread_mutex_lock(&h->mu);
	h->active_threads--;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static inline void *httpd_main(void *arg)
{
	struct httpd *h = arg;

	for (;;) {
		pthread_t t;
		struct httpd_conn *c;
		int fd = accept(h->fd, NULL, NULL);

		if (fd < 0)
			return NULL;
		pthread_mutex_lock(&h->mu);
		if (h->quitting) {
			pthread_mutex_unlock(&h->mu);
			close(fd);
			return NULL;
		}
		h->active_threads++;
		pthread_mutex_unlock(&h->mu);
		c = malloc(sizeof(*c));
		c->h = h;
		c->fd = fd;
		if (pthread_create(&t, NULL, httpd_conn_main, c) == 0) {
			pthread_detach(t);
		} else {
			free(c);
			close(fd);
			pthread_mutex_lock(&h->mu);
			h->active_threads--;
			pthread_mutex_unlock(&h->mu);
		}
	}
}

/* Start the server on 127.0.0.1 and an ephemeral port.  Returns 0 or -1. */
static inline int httpd_start(struct httpd *h)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	memset(h, 0, sizeof(*h));
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	h->fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (h->fd < 0 || bind(h->fd, (struct sockaddr *)&a, sizeof(a)) || listen(h->fd, 64))
		return -1;
	getsockname(h->fd, (struct sockaddr *)&a, &len);
	h->port = ntohs(a.sin_port);
	return pthread_create(&h->thread, NULL, httpd_main, h) ? -1 : 0;
}

/* Serve these routes from now on (counters reset). */
static inline void httpd_routes(struct httpd *h, struct httpd_route *routes, size_t n)
{
	size_t i;

	pthread_mutex_lock(&h->mu);
	for (i = 0; i < n; i++) {
		routes[i].hits = 0;
		routes[i].last_request[0] = '\0';
		routes[i].last_body[0] = '\0';
	}
	h->routes = routes;
	h->nroutes = n;
	h->open_max = 0;
	h->barrier_arrived = 0;
	pthread_mutex_unlock(&h->mu);
}

/* Hits of path so far. */
static inline int httpd_hits(struct httpd *h, const char *path)
{
	size_t i;
	int n = 0;

	pthread_mutex_lock(&h->mu);
	for (i = 0; i < h->nroutes; i++)
		if (!strcmp(h->routes[i].path, path))
			n = h->routes[i].hits;
	pthread_mutex_unlock(&h->mu);
	return n;
}

/* Block until path has been requested n times (or timeout_ms passed, a
 * safety net only: returns the hits seen). */
static inline int httpd_wait_hits(struct httpd *h, const char *path, int n, long timeout_ms)
{
	struct timespec until;
	size_t i;
	int hits = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&h->mu);
	for (;;) {
		hits = 0;
		for (i = 0; i < h->nroutes; i++)
			if (!strcmp(h->routes[i].path, path))
				hits = h->routes[i].hits;
		if (hits >= n || pthread_cond_timedwait(&h->cv, &h->mu, &until) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&h->mu);
	return hits;
}

/* Stop accepting, wait for the connection threads, free. */
static inline void httpd_stop(struct httpd *h)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	pthread_mutex_lock(&h->mu);
	h->quitting = 1;
	pthread_mutex_unlock(&h->mu);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)h->port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		httpd_send_all(fd, "QUIT\r\n\r\n", 8);
	close(fd);
	pthread_join(h->thread, NULL);
	close(h->fd);
	pthread_mutex_lock(&h->mu);
	while (h->active_threads > 0)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

/* http://127.0.0.1:PORT/path into out. */
static inline const char *httpd_url(struct httpd *h, const char *path, char *out, size_t n)
{
	snprintf(out, n, "http://127.0.0.1:%d%s", h->port, path);
	return out;
}

#endif /* TT_HTTPD_H */
