/*
 * bm_serial.c - the part of the serial edge both backends share: resolving
 * the path, choosing the backend, waiting with poll(), recognising a device
 * that went away, and the one-line error texts.  The idea is in
 * bm_serial.h.
 *
 * How "gone" is recognised: when a USB adapter is unplugged, or the master
 * side of a pty is closed, the kernel hangs the tty up.  From then on poll()
 * reports POLLHUP (often with POLLIN and POLLERR), read() returns 0 and
 * write() fails with EIO.  A reader that only looked at read()'s 0 would spin
 * on empty reads; so a wake-up that brings no bytes while poll() says hang-up
 * or error is "gone", and so is EIO/ENXIO/ENODEV from any call.  Bytes the
 * kernel still holds are handed out first: only an empty read after a
 * hang-up means the stream has ended.
 */
#include "bm_serial.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "bm_serial_priv.h"

/* Unix98 pty slaves (/dev/pts/N) use character majors 136..143
 * (UNIX98_PTY_SLAVE_MAJOR and the 7 after it in linux/major.h). */
#define PTY_SLAVE_MAJOR_FIRST 136u
#define PTY_SLAVE_MAJOR_LAST 143u

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int bm_serial_path_is_pty(const char *path)
{
	struct stat st;
	char real[PATH_MAX];

	if (!path || stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
		return 0;
	if (major(st.st_rdev) >= PTY_SLAVE_MAJOR_FIRST && major(st.st_rdev) <= PTY_SLAVE_MAJOR_LAST)
		return 1;
	/* A kernel that numbers ptys differently still mounts them here. */
	return realpath(path, real) && strncmp(real, "/dev/pts/", 9) == 0;
}

enum bm_serial_backend bm_serial_pick_backend(const char *path)
{
	return bm_serial_path_is_pty(path) ? BM_SERIAL_TERMIOS : BM_SERIAL_LIBSERIALPORT;
}

int bm_serial_result_from_errno(int err, enum bm_serial_op op)
{
	switch (err) {
	case EACCES:
	case EPERM:
	case EROFS:
		return BM_SERIAL_ERR_PERMISSION;
	case EBUSY:
	case EWOULDBLOCK:
		return BM_SERIAL_ERR_BUSY;
	case ENOENT:
	case ENOTDIR:
		return op == BM_SERIAL_OP_OPEN ? BM_SERIAL_ERR_NOT_FOUND : BM_SERIAL_ERR_GONE;
	case ENXIO:
	case ENODEV:
		/* At open: a node with no hardware behind it (ttyS5 on a PC with
		 * two UARTs, a USB adapter pulled a moment ago).  Later: the
		 * hardware left. */
		return op == BM_SERIAL_OP_OPEN ? BM_SERIAL_ERR_NOT_FOUND : BM_SERIAL_ERR_GONE;
	case EIO:
	case EPIPE:
	case ESHUTDOWN:
		return op == BM_SERIAL_OP_OPEN ? BM_SERIAL_ERR_IO : BM_SERIAL_ERR_GONE;
	case ENOTTY:
		return BM_SERIAL_ERR_NOT_TTY;
	case ENOMEM:
		return BM_SERIAL_ERR_NOMEM;
	case EINVAL:
	case EFAULT:
	case EBADF:
		return BM_SERIAL_ERR_ARG;
	default:
		return BM_SERIAL_ERR_IO;
	}
}

const char *bm_serial_strerror(int code)
{
	switch (code) {
	case BM_SERIAL_OK: return "ok";
	case BM_SERIAL_ERR_ARG: return "invalid argument";
	case BM_SERIAL_ERR_NOT_FOUND: return "no such device";
	case BM_SERIAL_ERR_PERMISSION: return "permission denied";
	case BM_SERIAL_ERR_BUSY: return "port busy";
	case BM_SERIAL_ERR_IO: return "input/output error";
	case BM_SERIAL_ERR_GONE: return "device disconnected";
	case BM_SERIAL_ERR_NOMEM: return "out of memory";
	case BM_SERIAL_ERR_TIMEOUT: return "no answer";
	case BM_SERIAL_ERR_NOT_TTY: return "not a serial port";
	case BM_SERIAL_ERR_VERSION: return "protocol version mismatch";
	default: return "unknown error";
	}
}

size_t bm_serial_format_error(int code, int sys_errno, const char *path,
                              const char *group, char *buf, size_t cap)
{
	const char *p = path ? path : "(no path)";
	const char *g = group && *group ? group : "dialout";
	const char *detail = sys_errno ? strerror(sys_errno) : "no detail";
	int n;

	/* One line each, saying what happened to which path and what to do;
	 * strerror() detail only where the code alone does not say enough. */
	switch (code) {
	case BM_SERIAL_OK:
		n = snprintf(buf, cap, "%s: ok", p);
		break;
	case BM_SERIAL_ERR_PERMISSION:
		n = snprintf(buf, cap, "permission denied on %s: add yourself to the '%s' group "
		             "(sudo usermod -aG %s $USER) and log in again", p, g, g);
		break;
	case BM_SERIAL_ERR_NOT_FOUND:
		n = snprintf(buf, cap, "no device at %s: is the board plugged in? "
		             "'bridgemon ports' lists the serial ports there are", p);
		break;
	case BM_SERIAL_ERR_BUSY:
		n = snprintf(buf, cap, "%s is busy: another program holds it (a serial monitor, "
		             "another bridgemon, or ModemManager probing a new device); "
		             "close it and try again", p);
		break;
	case BM_SERIAL_ERR_GONE:
		n = snprintf(buf, cap, "%s disconnected (unplugged, or the other end closed) "
		             "- waiting for it to come back", p);
		break;
	case BM_SERIAL_ERR_NOT_TTY:
		n = snprintf(buf, cap, "%s is not a serial port (a file or another kind of device?)", p);
		break;
	case BM_SERIAL_ERR_ARG:
		n = snprintf(buf, cap, "cannot open %s: invalid argument (%s)", p, detail);
		break;
	case BM_SERIAL_ERR_NOMEM:
		n = snprintf(buf, cap, "out of memory while using %s", p);
		break;
	case BM_SERIAL_ERR_TIMEOUT:
		n = snprintf(buf, cap, "no answer from %s: not a bridgemon board, "
		             "or it is still starting", p);
		break;
	case BM_SERIAL_ERR_VERSION:
		n = snprintf(buf, cap, "%s speaks another bridgemon protocol version "
		             "(update the firmware or bridgemon)", p);
		break;
	case BM_SERIAL_ERR_IO:
	default:
		n = snprintf(buf, cap, "i/o error on %s: %s", p, detail);
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}

size_t bm_serial_describe(int code, int sys_errno, const char *path, char *buf, size_t cap)
{
	char group[64] = "dialout";
	struct stat st;

	/* Name the group the device actually belongs to when that group may
	 * read and write it (dialout on Debian, uucp on Arch); a device only
	 * root may use keeps the Debian advice. */
	if (code == BM_SERIAL_ERR_PERMISSION && path && stat(path, &st) == 0 &&
	    (st.st_mode & (S_IRGRP | S_IWGRP)) == (S_IRGRP | S_IWGRP) && st.st_gid != 0) {
		struct group gr, *res = NULL;
		char tmp[1024];
		if (getgrgid_r(st.st_gid, &gr, tmp, sizeof tmp, &res) == 0 && res &&
		    strlen(res->gr_name) < sizeof group)
			strcpy(group, res->gr_name);
	}
	return bm_serial_format_error(code, sys_errno, path, group, buf, cap);
}

/* Remember a failure on an open port as its one-line text; give back the
 * code so that callers can `return set_error(...)`. */
static long set_error(struct bm_serial *port, int code, int sys_errno)
{
	if (code == BM_SERIAL_ERR_GONE)
		port->gone = 1;
	bm_serial_format_error(code, sys_errno, port->path, NULL, port->err, sizeof port->err);
	errno = sys_errno;
	return code;
}

int bm_serial_take_exclusive(int fd)
{
	if (flock(fd, LOCK_EX | LOCK_NB) != 0)
		return bm_serial_result_from_errno(errno, BM_SERIAL_OP_OPEN);
	/* Not fatal: a tty that does not support exclusive mode is still
	 * usable, and the flock above already keeps other bridgemons out. */
	(void)ioctl(fd, TIOCEXCL);
	return BM_SERIAL_OK;
}

void bm_serial_release_exclusive(int fd)
{
	(void)ioctl(fd, TIOCNXCL);
	(void)flock(fd, LOCK_UN);
}

static const struct bm_serial_ops *ops_for(enum bm_serial_backend b)
{
	switch (b) {
	case BM_SERIAL_LIBSERIALPORT: return &bm_serial_sp_ops;
	case BM_SERIAL_TERMIOS: return &bm_serial_tty_ops;
	default: return NULL;
	}
}

int bm_serial_open_backend(const char *path, unsigned long baud,
                           enum bm_serial_backend backend, struct bm_serial **out)
{
	char dev[PATH_MAX];
	struct bm_serial *port;
	struct stat st;
	int r;

	if (out)
		*out = NULL;
	errno = 0;
	if (!path || !*path || !out || baud == 0 || baud > INT_MAX) {
		errno = EINVAL;
		return BM_SERIAL_ERR_ARG;
	}
	/* libserialport finds a port by its /dev name, so hand it the device
	 * itself, not a udev link such as /dev/serial/by-id/... */
	if (!realpath(path, dev))
		return bm_serial_result_from_errno(errno, BM_SERIAL_OP_OPEN);
	if (stat(dev, &st) != 0)
		return bm_serial_result_from_errno(errno, BM_SERIAL_OP_OPEN);
	if (!S_ISCHR(st.st_mode)) {
		errno = ENOTTY;
		return BM_SERIAL_ERR_NOT_TTY;
	}
	if (backend == BM_SERIAL_AUTO)
		backend = bm_serial_pick_backend(dev);
	if (!ops_for(backend)) {
		errno = EINVAL;
		return BM_SERIAL_ERR_ARG;
	}

	port = calloc(1, sizeof *port);
	if (!port || !(port->path = strdup(path))) {
		free(port);
		errno = ENOMEM;
		return BM_SERIAL_ERR_NOMEM;
	}
	port->ops = ops_for(backend);
	port->fd = -1;
	r = port->ops->open(port, dev, baud);
	if (r != BM_SERIAL_OK) {
		int e = errno;
		free(port->path);
		free(port);
		errno = e;
		return r;
	}
	*out = port;
	return BM_SERIAL_OK;
}

int bm_serial_open(const char *path, unsigned long baud, struct bm_serial **out)
{
	return bm_serial_open_backend(path, baud, BM_SERIAL_AUTO, out);
}

int bm_serial_reopen_wait(const char *path, unsigned long baud,
                          enum bm_serial_backend backend, unsigned timeout_ms,
                          struct bm_serial **out)
{
	uint64_t t0 = now_ms();

	for (;;) {
		int r = bm_serial_open_backend(path, baud, backend, out);
		uint64_t spent;
		int e = errno;

		if (r == BM_SERIAL_OK || r == BM_SERIAL_ERR_ARG)
			return r;
		spent = now_ms() - t0;
		if (spent >= timeout_ms) {
			errno = e;
			return r;
		}
		sleep_ms(timeout_ms - spent < BM_SERIAL_REOPEN_POLL_MS ?
		         (unsigned)(timeout_ms - spent) : BM_SERIAL_REOPEN_POLL_MS);
	}
}

void bm_serial_close(struct bm_serial *port)
{
	if (!port)
		return;
	port->ops->close(port);
	free(port->path);
	free(port);
}

/* Wait until fd is ready for @p events or @p timeout_ms passes.
 * Returns the revents (0 on timeout or signal) or -1 with errno. */
static int wait_fd(int fd, short events, unsigned timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = events, .revents = 0 };
	int r = poll(&pfd, 1, timeout_ms > INT_MAX ? INT_MAX : (int)timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	return r == 0 ? 0 : pfd.revents;
}

long bm_serial_read(struct bm_serial *port, uint8_t *buf, size_t cap, unsigned timeout_ms)
{
	int rev;
	long n;

	if (!port || !buf || cap == 0)
		return BM_SERIAL_ERR_ARG;
	if (port->gone)
		return BM_SERIAL_ERR_GONE;
	rev = wait_fd(port->fd, POLLIN, timeout_ms);
	if (rev < 0)
		return set_error(port, bm_serial_result_from_errno(errno, BM_SERIAL_OP_IO), errno);
	if (rev == 0)
		return 0;
	if (rev & POLLNVAL)
		return set_error(port, BM_SERIAL_ERR_GONE, EBADF);
	n = port->ops->read_now(port, buf, cap);
	if (n < 0)
		return set_error(port, (int)n, errno);
	/* An empty read when poll() said hang-up or error: the end. */
	if (n == 0 && (rev & (POLLHUP | POLLERR)))
		return set_error(port, BM_SERIAL_ERR_GONE, EIO);
	return n;
}

long bm_serial_write(struct bm_serial *port, const uint8_t *data, size_t len, unsigned timeout_ms)
{
	uint64_t t0 = now_ms();
	size_t done = 0;

	if (!port || (!data && len > 0))
		return BM_SERIAL_ERR_ARG;
	if (port->gone)
		return BM_SERIAL_ERR_GONE;
	while (done < len) {
		uint64_t spent = now_ms() - t0;
		unsigned left = spent >= timeout_ms ? 0u : (unsigned)(timeout_ms - spent);
		int rev = wait_fd(port->fd, POLLOUT, left);
		long n;

		if (rev < 0)
			return set_error(port, bm_serial_result_from_errno(errno, BM_SERIAL_OP_IO), errno);
		if (rev & (POLLHUP | POLLERR | POLLNVAL))
			return set_error(port, BM_SERIAL_ERR_GONE, EIO);
		if (rev == 0) {
			if (left == 0)
				break;
			continue;     /* a signal: wait for the rest of the time */
		}
		n = port->ops->write_now(port, data + done, len - done);
		if (n < 0)
			return set_error(port, (int)n, errno);
		if (n == 0 && left == 0)
			break;
		done += (size_t)n;
	}
	return (long)done;
}

const char *bm_serial_path(const struct bm_serial *port)
{
	return port->path;
}

enum bm_serial_backend bm_serial_backend_of(const struct bm_serial *port)
{
	return port->ops->id;
}

const char *bm_serial_last_error(const struct bm_serial *port)
{
	return port->err;
}
