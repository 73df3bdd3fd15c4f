/*
 * log.h - logging to stderr, off by default.
 *
 * LOG(level, fmt, ...) checks the level before evaluating its arguments
 * and records the calling function.  `-v` raises the level (repeatable).
 * Results go to stdout from src/cmd/ only; logs never go to stdout.
 */
#ifndef TT_LOG_H
#define TT_LOG_H

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

/* Current threshold: messages at or below it are written.  Default: LOG_ERROR - 1 (off). */
extern int log_threshold;

void log_set_level(int level);
void log_write(int level, const char *func, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define LOG(level, ...)                                          \
	do {                                                     \
		if ((level) <= log_threshold)                    \
			log_write((level), __func__, __VA_ARGS__); \
	} while (0)

#endif /* TT_LOG_H */
