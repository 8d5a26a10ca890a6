/*
 * sp_pty_shim.c - make libserialport 0.1.1 (Debian 12) work on a pty, for
 * the tests only.  Linked into the test executable, these definitions
 * interpose the C library's for every shared object, libserialport.so
 * included; everything they do not recognise goes on to the real function.
 *
 * Where libserialport fails on a pty, found by running it under strace and
 * LIBSERIALPORT_DEBUG=1 (see shared/PLATFORM.md):
 *  1. sp_get_port_by_name("/dev/pts/N") describes the port from sysfs: it
 *     lstat()s /sys/class/tty/pts/N (through the old __lxstat entry point,
 *     which is what this build imports) and readlink()s it to learn the
 *     transport.  Ptys have no such entry, so it fails with SP_ERR_ARG.  We
 *     answer for /sys/class/tty/pts/ only: a symlink into the virtual tty
 *     class, which makes it a plain native port with no USB details.
 *  2. sp_open() and sp_set_config() read and set the modem lines with
 *     TIOCMGET / TIOCMBIS / TIOCMBIC (/ TIOCMSET).  A pty has no modem
 *     lines: ENOTTY.  We keep a pretend set of lines for pty descriptors.
 * Everything else libserialport does on a pty (open, tcgetattr/tcsetattr,
 * termios2 TCGETS2/TCSETS2 for 250000 baud, read, write, close) is real.
 */
#define _GNU_SOURCE
/* Fortified builds turn readlink() into an inline wrapper that we could not
 * define; the shim needs the plain symbol. */
#undef _FORTIFY_SOURCE
#include "sp_pty_shim.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SYS_PTS "/sys/class/tty/pts/"
#define FAKE_LINK "../../devices/virtual/tty/pts"

static atomic_uint hits;
static atomic_int modem_bits = TIOCM_DTR | TIOCM_RTS;

/* The real functions, found before main() runs (so no thread races); a
 * call that comes earlier still, from another constructor, finds them
 * itself. */
static int (*real_ioctl)(int, unsigned long, ...);
static ssize_t (*real_readlink)(const char *, char *, size_t);
static int (*real_lstat)(const char *, struct stat *);
static int (*real_lxstat)(int, const char *, struct stat *);

/* dlsym gives a void *; copy its bits into the function pointer (ISO C
 * has no conversion between the two). */
static void resolve(void *fnptr, size_t size, void *sym)
{
	memcpy(fnptr, &sym, size);
}

__attribute__((constructor)) static void shim_init(void)
{
	resolve(&real_ioctl, sizeof real_ioctl, dlsym(RTLD_NEXT, "ioctl"));
	resolve(&real_readlink, sizeof real_readlink, dlsym(RTLD_NEXT, "readlink"));
	resolve(&real_lstat, sizeof real_lstat, dlsym(RTLD_NEXT, "lstat"));
	/* A compatibility symbol since glibc 2.33: only its versioned name
	 * finds it. */
	resolve(&real_lxstat, sizeof real_lxstat, dlvsym(RTLD_NEXT, "__lxstat", "GLIBC_2.2.5"));
}

unsigned sp_pty_shim_hits(void)
{
	return atomic_load(&hits);
}

static int is_sys_pts(const char *path)
{
	return path && strncmp(path, SYS_PTS, sizeof SYS_PTS - 1) == 0;
}

static void fake_link_stat(struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_mode = S_IFLNK | 0777;
	st->st_size = (off_t)(sizeof FAKE_LINK - 1);
}

/* Declared here: glibc 2.33+ headers no longer declare it. */
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat(int ver, const char *path, struct stat *st)
{
	if (is_sys_pts(path)) {
		atomic_fetch_add(&hits, 1u);
		fake_link_stat(st);
		return 0;
	}
	if (!real_lxstat)
		shim_init();
	if (!real_lxstat) {
		errno = ENOSYS;
		return -1;
	}
	return real_lxstat(ver, path, st);
}

/* The same for a libserialport built against a newer glibc. */
int lstat(const char *restrict path, struct stat *restrict st)
{
	if (is_sys_pts(path)) {
		atomic_fetch_add(&hits, 1u);
		fake_link_stat(st);
		return 0;
	}
	if (!real_lstat)
		shim_init();
	return real_lstat(path, st);
}

ssize_t readlink(const char *restrict path, char *restrict buf, size_t len)
{
	if (is_sys_pts(path)) {
		size_t n = sizeof FAKE_LINK - 1;
		atomic_fetch_add(&hits, 1u);
		if (n > len)
			n = len;
		memcpy(buf, FAKE_LINK, n);
		return (ssize_t)n;
	}
	if (!real_readlink)
		shim_init();
	return real_readlink(path, buf, len);
}

static int is_pty_fd(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	       major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if ((request == TIOCMGET || request == TIOCMSET || request == TIOCMBIS ||
	     request == TIOCMBIC) && is_pty_fd(fd)) {
		int *bits = arg;
		atomic_fetch_add(&hits, 1u);
		switch (request) {
		case TIOCMGET: *bits = atomic_load(&modem_bits); break;
		case TIOCMSET: atomic_store(&modem_bits, *bits); break;
		case TIOCMBIS: atomic_fetch_or(&modem_bits, *bits); break;
		default: atomic_fetch_and(&modem_bits, ~*bits); break;
		}
		return 0;
	}
	if (!real_ioctl)
		shim_init();
	return real_ioctl(fd, request, arg);
}
