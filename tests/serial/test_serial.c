/*
 * test_serial.c - the serial edge (bm_serial) over pseudo-terminals, through
 * both backends, plus the runner for this area (suite_bm_ports() is in
 * test_ports.c).
 *
 * The libserialport backend cannot open a pty as Debian ships it, so this
 * executable links sp_pty_shim.c, which answers the two sysfs lookups and
 * the modem-line ioctls libserialport makes; every other call it makes is
 * real.  Tests that run "through both backends" are Check loop tests:
 * index 0 forces libserialport, index 1 forces termios, and each checks that
 * the backend it asked for is the one that ran (the shim's hit counter).
 *
 * What a pty does on "unplug" (seen on this machine's kernel): when the
 * master closes, bytes the slave has not read yet are thrown away, poll()
 * says POLLIN|POLLERR|POLLHUP and read() returns 0 from then on.  A USB
 * adapter pulled out behaves the same way.  So the tests let the reader
 * catch up before they close the master: samples the device never got to
 * deliver are inside the gap by definition.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libserialport.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bm_decoder.h"
#include "bm_msg.h"
#include "bm_ports.h"
#include "bm_serial.h"
#include "bm_serial_priv.h"
#include "serial_testlib.h"
#include "sp_pty_shim.h"

Suite *suite_bm_serial(void);
Suite *suite_bm_ports(void);

static const enum bm_serial_backend backends[2] = { BM_SERIAL_LIBSERIALPORT, BM_SERIAL_TERMIOS };
static const char *const backend_names[2] = { "libserialport", "termios" };

/* Open @p path through backend @p i and check that this backend ran. */
static struct bm_serial *open_through(const char *path, int i)
{
	struct bm_serial *p = NULL;
	unsigned hits0 = sp_pty_shim_hits();
	int r = bm_serial_open_backend(path, BM_BAUD, backends[i], &p);
	char why[BM_SERIAL_ERRTEXT_MAX];

	bm_serial_describe(r, errno, path, why, sizeof why);
	ck_assert_msg(r == BM_SERIAL_OK, "open %s through %s: expected OK, got %d (%s)",
	              path, backend_names[i], r, why);
	ck_assert_msg(bm_serial_backend_of(p) == backends[i], "backend in use: expected %d, got %d",
	              backends[i], bm_serial_backend_of(p));
	if (backends[i] == BM_SERIAL_LIBSERIALPORT)
		ck_assert_msg(sp_pty_shim_hits() > hits0,
		              "libserialport backend: expected its sysfs/ioctl calls on the pty, saw none");
	else
		ck_assert_msg(sp_pty_shim_hits() == hits0,
		              "termios backend: expected no libserialport calls, saw %u",
		              sp_pty_shim_hits() - hits0);
	return p;
}

/* Read from @p p until @p want bytes came or 5 s passed; returns the count
 * (or a negative error from the port). */
static long read_exactly(struct bm_serial *p, uint8_t *buf, size_t want)
{
	uint64_t t_end = tl_now_ms() + 5000;
	size_t got = 0;

	while (got < want && tl_now_ms() < t_end) {
		long n = bm_serial_read(p, buf + got, want - got, 100);
		if (n < 0)
			return n;
		got += (size_t)n;
	}
	return (long)got;
}

/* --- pure functions ----------------------------------------------------- */

START_TEST(errno_translation)
{
	static const struct { int e; enum bm_serial_op op; int want; } cases[] = {
		{ ENOENT, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_NOT_FOUND },
		{ ENXIO, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_NOT_FOUND },
		{ ENODEV, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_NOT_FOUND },
		{ EACCES, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_PERMISSION },
		{ EPERM, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_PERMISSION },
		{ EBUSY, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_BUSY },
		{ EWOULDBLOCK, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_BUSY },
		{ ENOTTY, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_NOT_TTY },
		{ ENOMEM, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_NOMEM },
		{ EIO, BM_SERIAL_OP_OPEN, BM_SERIAL_ERR_IO },
		{ EIO, BM_SERIAL_OP_IO, BM_SERIAL_ERR_GONE },
		{ ENXIO, BM_SERIAL_OP_IO, BM_SERIAL_ERR_GONE },
		{ ENODEV, BM_SERIAL_OP_IO, BM_SERIAL_ERR_GONE },
		{ EINVAL, BM_SERIAL_OP_IO, BM_SERIAL_ERR_ARG },
		{ ETIMEDOUT, BM_SERIAL_OP_IO, BM_SERIAL_ERR_IO },
		{ 0, BM_SERIAL_OP_IO, BM_SERIAL_ERR_IO },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = bm_serial_result_from_errno(cases[i].e, cases[i].op);
		ck_assert_msg(got == cases[i].want, "errno %d (%s) at %s: expected %d, got %d",
		              cases[i].e, strerror(cases[i].e),
		              cases[i].op == BM_SERIAL_OP_OPEN ? "open" : "i/o", cases[i].want, got);
	}
}
END_TEST

START_TEST(sp_error_translation)
{
	/* libserialport's SP_ERR_FAIL carries errno (sp_last_error_code() reads
	 * it on Unix); the rest map by themselves. */
	errno = EACCES;
	ck_assert_int_eq(bm_serial_from_sp(SP_ERR_FAIL, BM_SERIAL_OP_OPEN), BM_SERIAL_ERR_PERMISSION);
	errno = EBUSY;
	ck_assert_int_eq(bm_serial_from_sp(SP_ERR_FAIL, BM_SERIAL_OP_OPEN), BM_SERIAL_ERR_BUSY);
	errno = EIO;
	ck_assert_int_eq(bm_serial_from_sp(SP_ERR_FAIL, BM_SERIAL_OP_IO), BM_SERIAL_ERR_GONE);
	ck_assert_int_eq(errno, EIO);
	ck_assert_int_eq(bm_serial_from_sp(SP_ERR_MEM, BM_SERIAL_OP_IO), BM_SERIAL_ERR_NOMEM);
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_int_eq(bm_serial_from_sp(SP_ERR_ARG, BM_SERIAL_OP_IO), BM_SERIAL_ERR_ARG);
	ck_assert_int_eq(bm_serial_from_sp(SP_ERR_SUPP, BM_SERIAL_OP_IO), BM_SERIAL_ERR_IO);
}
END_TEST

START_TEST(messages_are_one_line)
{
	char buf[BM_SERIAL_ERRTEXT_MAX];
	const char *want = "permission denied on /dev/ttyUSB0: add yourself to the 'dialout' group "
	                   "(sudo usermod -aG dialout $USER) and log in again";

	bm_serial_format_error(BM_SERIAL_ERR_PERMISSION, EACCES, "/dev/ttyUSB0", NULL, buf, sizeof buf);
	ck_assert_msg(strcmp(buf, want) == 0, "permission text:\n expected \"%s\"\n got      \"%s\"", want, buf);
	bm_serial_format_error(BM_SERIAL_ERR_PERMISSION, EACCES, "/dev/ttyUSB0", "uucp", buf, sizeof buf);
	ck_assert_msg(strstr(buf, "'uucp' group (sudo usermod -aG uucp $USER)"),
	              "permission text with group uucp should name it, got \"%s\"", buf);

	for (int code = 0; code >= -12; code--) {
		size_t n = bm_serial_format_error(code, EIO, "/dev/ttyACM0", NULL, buf, sizeof buf);
		ck_assert_msg(n > 0 && n < sizeof buf, "code %d: text length %zu out of range", code, n);
		ck_assert_msg(!strchr(buf, '\n'), "code %d: expected one line, got \"%s\"", code, buf);
		ck_assert_msg(strstr(buf, "/dev/ttyACM0"), "code %d: text should name the path: \"%s\"", code, buf);
		ck_assert_msg(bm_serial_strerror(code) && *bm_serial_strerror(code),
		              "strerror(%d) should not be empty", code);
	}
	bm_serial_format_error(BM_SERIAL_ERR_BUSY, EBUSY, "/dev/ttyUSB0", NULL, buf, sizeof buf);
	ck_assert_msg(strstr(buf, "busy") && strstr(buf, "ModemManager"),
	              "busy text should say busy and name ModemManager, got \"%s\"", buf);
	bm_serial_format_error(BM_SERIAL_ERR_GONE, EIO, "/dev/ttyUSB0", NULL, buf, sizeof buf);
	ck_assert_msg(strstr(buf, "disconnected"), "gone text should say disconnected, got \"%s\"", buf);
	/* Truncation keeps a terminated string and reports the full length. */
	size_t full = bm_serial_format_error(BM_SERIAL_ERR_PERMISSION, EACCES, "/dev/ttyUSB0", NULL, buf, 10);
	ck_assert_msg(full == strlen(want) && strlen(buf) == 9,
	              "truncated: expected length %zu and 9 chars kept, got %zu and %zu",
	              strlen(want), full, strlen(buf));
}
END_TEST

/* --- opening: the errors a user meets --------------------------------- */

START_TEST(not_found)
{
	struct bm_serial *p = (struct bm_serial *)&p;   /* must come back NULL */
	char buf[BM_SERIAL_ERRTEXT_MAX], dir[] = "/tmp/bm-serial-XXXXXX", link[PATH_MAX];
	int r = bm_serial_open("/dev/ttyBRIDGEMON-none", BM_BAUD, &p);
	int e = errno;

	ck_assert_msg(r == BM_SERIAL_ERR_NOT_FOUND, "missing device: expected NOT_FOUND (%d), got %d",
	              BM_SERIAL_ERR_NOT_FOUND, r);
	ck_assert_msg(p == NULL, "port pointer should be NULL after a failed open");
	ck_assert_msg(e == ENOENT, "errno: expected ENOENT, got %d (%s)", e, strerror(e));
	bm_serial_describe(r, e, "/dev/ttyBRIDGEMON-none", buf, sizeof buf);
	ck_assert_msg(strstr(buf, "no device at /dev/ttyBRIDGEMON-none") && strstr(buf, "bridgemon ports"),
	              "not-found text: got \"%s\"", buf);

	/* A udev link left dangling (device unplugged): also not found. */
	ck_assert(mkdtemp(dir) != NULL);
	snprintf(link, sizeof link, "%s/board", dir);
	ck_assert(symlink("/dev/pts/999999", link) == 0);
	r = bm_serial_open(link, BM_BAUD, &p);
	ck_assert_msg(r == BM_SERIAL_ERR_NOT_FOUND, "dangling link: expected NOT_FOUND, got %d", r);
	unlink(link);
	rmdir(dir);
}
END_TEST

START_TEST(bad_arguments)
{
	struct bm_serial *p = NULL;
	uint8_t b[4];

	ck_assert_int_eq(bm_serial_open(NULL, BM_BAUD, &p), BM_SERIAL_ERR_ARG);
	ck_assert_int_eq(bm_serial_open("", BM_BAUD, &p), BM_SERIAL_ERR_ARG);
	ck_assert_int_eq(bm_serial_open("/dev/null", 0, &p), BM_SERIAL_ERR_ARG);
	ck_assert_int_eq(bm_serial_open("/dev/null", BM_BAUD, NULL), BM_SERIAL_ERR_ARG);
	ck_assert_int_eq(bm_serial_read(NULL, b, sizeof b, 0), BM_SERIAL_ERR_ARG);
	ck_assert_int_eq(bm_serial_write(NULL, b, sizeof b, 0), BM_SERIAL_ERR_ARG);
	bm_serial_close(NULL);
}
END_TEST

START_TEST(not_a_tty)
{
	char file[] = "/tmp/bm-serial-file-XXXXXX";
	struct bm_serial *p = NULL;
	int fd = mkstemp(file), r;

	ck_assert(fd >= 0);
	close(fd);
	r = bm_serial_open(file, BM_BAUD, &p);
	ck_assert_msg(r == BM_SERIAL_ERR_NOT_TTY, "regular file: expected NOT_TTY, got %d", r);
	unlink(file);
	/* /dev/null is a character device but no tty: libserialport (the
	 * automatic choice) finds no /sys/class/tty entry for it, termios
	 * finds isatty() false. */
	r = bm_serial_open("/dev/null", BM_BAUD, &p);
	ck_assert_msg(r == BM_SERIAL_ERR_NOT_TTY, "/dev/null through libserialport: expected NOT_TTY, got %d", r);
	r = bm_serial_open_backend("/dev/null", BM_BAUD, BM_SERIAL_TERMIOS, &p);
	ck_assert_msg(r == BM_SERIAL_ERR_NOT_TTY, "/dev/null through termios: expected NOT_TTY, got %d", r);
	ck_assert(p == NULL);
}
END_TEST

START_TEST(backend_choice)
{
	struct tl_pty t;
	char dir[] = "/tmp/bm-serial-XXXXXX", link[PATH_MAX];

	ck_assert(tl_pty_open(&t) == 0);
	ck_assert(mkdtemp(dir) != NULL);
	snprintf(link, sizeof link, "%s/board", dir);
	ck_assert(symlink(t.path, link) == 0);
	ck_assert_msg(bm_serial_pick_backend(t.path) == BM_SERIAL_TERMIOS, "%s is a pty: expected termios", t.path);
	ck_assert_msg(bm_serial_pick_backend(link) == BM_SERIAL_TERMIOS, "a link to a pty: expected termios");
	ck_assert_msg(bm_serial_pick_backend("/dev/null") == BM_SERIAL_LIBSERIALPORT, "/dev/null: expected libserialport");
	ck_assert_msg(bm_serial_pick_backend("/dev/ttyBRIDGEMON-none") == BM_SERIAL_LIBSERIALPORT,
	              "missing path: expected libserialport (which then says not found)");
	unlink(link);
	rmdir(dir);
	tl_pty_close(&t);
}
END_TEST

/* Open as an unprivileged user, in a child process; gives back the result
 * and errno, or 1 when this machine cannot drop privileges. */
static int open_unprivileged(const char *path, enum bm_serial_backend b, int *err)
{
	int pfd[2], res[2] = { 1, 0 };
	pid_t pid;

	ck_assert(pipe(pfd) == 0);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		struct bm_serial *p = NULL;
		close(pfd[0]);
		if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)) {
			(void)!write(pfd[1], res, sizeof res);
			_exit(0);
		}
		res[0] = bm_serial_open_backend(path, BM_BAUD, b, &p);
		res[1] = errno;
		bm_serial_close(p);
		(void)!write(pfd[1], res, sizeof res);
		_exit(0);
	}
	close(pfd[1]);
	ck_assert(read(pfd[0], res, sizeof res) == (ssize_t)sizeof res);
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	*err = res[1];
	return res[0];
}

START_TEST(permission_denied)
{
	struct tl_pty t;
	char buf[BM_SERIAL_ERRTEXT_MAX];
	int e = 0, r;

	/* A real EACCES: a pty nobody but its owner may open (mode 000), opened
	 * by uid 65534 when we are root, by ourselves otherwise.  Through the
	 * libserialport backend this is sp_open failing with SP_ERR_FAIL and
	 * errno EACCES, translated at that boundary. */
	ck_assert(tl_pty_open(&t) == 0);
	ck_assert(fchmod(t.slave, 0) == 0);
	r = open_unprivileged(t.path, backends[_i], &e);
	if (r == 1) {
		printf("permission_denied: cannot drop root privileges here; real EACCES not tested\n");
		tl_pty_close(&t);
		return;
	}
	ck_assert_msg(r == BM_SERIAL_ERR_PERMISSION, "mode-000 pty through %s: expected PERMISSION (%d), got %d (errno %d)",
	              backend_names[_i], BM_SERIAL_ERR_PERMISSION, r, e);
	ck_assert_msg(e == EACCES, "errno: expected EACCES, got %d (%s)", e, strerror(e));
	bm_serial_describe(r, e, t.path, buf, sizeof buf);
	ck_assert_msg(strstr(buf, "permission denied on ") && strstr(buf, "'dialout' group") &&
	              strstr(buf, "usermod -aG dialout"), "permission text: got \"%s\"", buf);

	/* The hint names the group the device really belongs to (uucp on Arch
	 * and so on), when that group may read and write it. */
	struct group *g = getgrnam("tty");
	if (geteuid() == 0 && g) {
		ck_assert(fchown(t.slave, (uid_t)-1, g->gr_gid) == 0 && fchmod(t.slave, 0660) == 0);
		bm_serial_describe(BM_SERIAL_ERR_PERMISSION, EACCES, t.path, buf, sizeof buf);
		ck_assert_msg(strstr(buf, "'tty' group (sudo usermod -aG tty $USER)"),
		              "device of group tty (rw): expected the hint to name tty, got \"%s\"", buf);
	}
	tl_pty_close(&t);
}
END_TEST

START_TEST(busy_when_held)
{
	/* _i: first opener's backend in bit 0, second's in bit 1. */
	int first = _i & 1, second = (_i >> 1) & 1;
	struct tl_pty t;
	struct bm_serial *a, *b = NULL;
	char buf[BM_SERIAL_ERRTEXT_MAX];
	int r;

	ck_assert(tl_pty_open(&t) == 0);
	a = open_through(t.path, first);
	r = bm_serial_open_backend(t.path, BM_BAUD, backends[second], &b);
	ck_assert_msg(r == BM_SERIAL_ERR_BUSY, "second open (%s after %s): expected BUSY (%d), got %d",
	              backend_names[second], backend_names[first], BM_SERIAL_ERR_BUSY, r);
	ck_assert(b == NULL);
	bm_serial_describe(r, errno, t.path, buf, sizeof buf);
	ck_assert_msg(strstr(buf, "is busy"), "busy text: got \"%s\"", buf);
	/* Released on close: the next open works. */
	bm_serial_close(a);
	b = open_through(t.path, second);
	bm_serial_close(b);
	tl_pty_close(&t);
}
END_TEST

START_TEST(exclusive_for_other_users)
{
	struct tl_pty t;
	struct bm_serial *a;
	int e = 0, r;

	/* Another user (uid 65534 when we are root) meets the kernel's
	 * exclusive mode while we hold the port, and must get in once we
	 * closed it, although the tty lives on (its master is open). */
	ck_assert(tl_pty_open(&t) == 0);
	ck_assert(fchmod(t.slave, 0666) == 0);
	a = open_through(t.path, _i);
	r = open_unprivileged(t.path, backends[_i], &e);
	if (r == 1) {
		printf("exclusive_for_other_users: cannot drop root privileges here; not tested\n");
		bm_serial_close(a);
		tl_pty_close(&t);
		return;
	}
	ck_assert_msg(r == BM_SERIAL_ERR_BUSY && e == EBUSY,
	              "%s: other user while we hold it: expected BUSY with EBUSY, got %d with errno %d",
	              backend_names[_i], r, e);
	bm_serial_close(a);
	r = open_unprivileged(t.path, backends[_i], &e);
	ck_assert_msg(r == BM_SERIAL_OK, "%s: other user after we closed: expected OK, got %d (errno %d: %s)",
	              backend_names[_i], r, e, strerror(e));
	tl_pty_close(&t);
}
END_TEST

/* --- streaming --------------------------------------------------------- */

struct writer_job {
	int fd;
	const uint8_t *data;
	size_t len;
	int result;
};

static void *writer_main(void *arg)
{
	struct writer_job *w = arg;
	w->result = tl_write_chunked(w->fd, w->data, w->len);
	return NULL;
}

START_TEST(bytes_arrive_intact)
{
	enum { NSAMPLES = 600 };
	static uint8_t sent[1 + NSAMPLES * BM_FRAME_MAX], got[sizeof sent];
	size_t len = tl_build_samples(sent, sizeof sent, 0, NSAMPLES, 1);
	struct writer_job w = { .result = -1 };
	struct bm_decoder *dec = bm_decoder_new();
	struct bm_decoder_stats st;
	struct bm_decoded m;
	struct tl_pty t;
	struct bm_serial *p;
	pthread_t th;
	unsigned nseq = 0;
	long n;

	ck_assert(len > 0 && dec);
	ck_assert(tl_pty_open(&t) == 0);
	p = open_through(t.path, _i);
	w.fd = t.master;
	w.data = sent;
	w.len = len;
	ck_assert(pthread_create(&th, NULL, writer_main, &w) == 0);
	n = read_exactly(p, got, len);
	pthread_join(th, NULL);
	ck_assert_msg(w.result == 0, "writer failed");
	ck_assert_msg(n == (long)len, "%s: expected %zu bytes, got %ld", backend_names[_i], len, n);
	ck_assert_msg(memcmp(sent, got, len) == 0, "%s: bytes changed on the way", backend_names[_i]);

	/* And they are the frames we sent, in order. */
	const uint8_t *cur = got;
	size_t left = len;
	while (bm_decoder_next(dec, &cur, &left, &m)) {
		struct bm_sample_msg want;
		ck_assert_msg(m.type == BM_MSG_SAMPLE, "expected SAMPLE, got type 0x%02x", m.type);
		tl_sample_for((uint16_t)nseq, &want);
		ck_assert_msg(m.u.sample.msg.seq == nseq, "seq: expected %u, got %u", nseq, m.u.sample.msg.seq);
		ck_assert_msg(m.u.sample.msg.raw[0] == want.raw[0] && m.u.sample.msg.raw[1] == want.raw[1],
		              "seq %u raw: expected %d/%d, got %d/%d", nseq, (int)want.raw[0], (int)want.raw[1],
		              (int)m.u.sample.msg.raw[0], (int)m.u.sample.msg.raw[1]);
		nseq++;
	}
	bm_decoder_get_stats(dec, &st);
	ck_assert_msg(nseq == NSAMPLES && st.crc_errors == 0 && st.framing_errors == 0,
	              "expected %u samples and no errors, got %u samples, %llu crc, %llu framing",
	              (unsigned)NSAMPLES, nseq, (unsigned long long)st.crc_errors,
	              (unsigned long long)st.framing_errors);

	/* The other direction: what we write reaches the board's side. */
	const uint8_t cmd[] = { 0x00, 0x03, 0x41, 0x0D, 0x11, 0x13, 0x7F, 0xFF, 0x00 };
	uint8_t back[sizeof cmd];
	size_t bn = 0;
	ck_assert_msg(bm_serial_write(p, cmd, sizeof cmd, 1000) == (long)sizeof cmd, "write: expected all bytes taken");
	while (bn < sizeof back) {
		ssize_t k = read(t.master, back + bn, sizeof back - bn);
		ck_assert_msg(k > 0, "board side read failed");
		bn += (size_t)k;
	}
	ck_assert_msg(memcmp(cmd, back, sizeof cmd) == 0, "%s: written bytes changed on the way", backend_names[_i]);

	bm_serial_close(p);
	bm_decoder_free(dec);
	tl_pty_close(&t);
}
END_TEST

START_TEST(gone_when_writer_closes)
{
	uint8_t sent[1 + 10 * BM_FRAME_MAX], got[sizeof sent];
	size_t len = tl_build_samples(sent, sizeof sent, 0, 10, 1);
	struct tl_pty t;
	struct bm_serial *p;
	long n;

	ck_assert(tl_pty_open(&t) == 0);
	p = open_through(t.path, _i);
	ck_assert(write(t.master, sent, len) == (ssize_t)len);
	ck_assert_msg(read_exactly(p, got, len) == (long)len, "bytes before the unplug should arrive");

	tl_pty_close(&t);    /* unplug */

	/* The very first read says GONE: no run of empty reads, even with a
	 * long timeout (a spin would come back 0 after it). */
	n = bm_serial_read(p, got, sizeof got, 2000);
	ck_assert_msg(n == BM_SERIAL_ERR_GONE, "%s: first read after unplug: expected GONE (%d), got %ld",
	              backend_names[_i], BM_SERIAL_ERR_GONE, n);
	n = bm_serial_read(p, got, sizeof got, 2000);
	ck_assert_msg(n == BM_SERIAL_ERR_GONE, "second read: expected GONE again, got %ld", n);
	n = bm_serial_write(p, sent, 4, 100);
	ck_assert_msg(n == BM_SERIAL_ERR_GONE, "write after unplug: expected GONE, got %ld", n);
	ck_assert_msg(strstr(bm_serial_last_error(p), "disconnected") &&
	              strstr(bm_serial_last_error(p), t.path),
	              "last error should say the path disconnected, got \"%s\"", bm_serial_last_error(p));
	bm_serial_close(p);
}
END_TEST

/* --- unplug and replug ------------------------------------------------- */

/* The board side of the replug test: two "plug-ins", each a new pty that a
 * symlink (standing in for a udev link) is pointed at. */
enum { A_FIRST = 0, A_COUNT = 200, GAP = 10, B_FIRST = A_FIRST + A_COUNT + GAP, B_COUNT = 200 };

struct replug {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char link[PATH_MAX];
	int opens;              /* reader: successful opens so far */
	long last_seq;          /* reader: last sequence number decoded */
	uint64_t t_plugged_ms[2]; /* board: when each link appeared (under mu) */
	atomic_int failed;      /* board: set after writing fail[] */
	char fail[160];         /* board: what went wrong; read after join */
};

/* Wait (board side) until cond(r) holds, at most 10 s.  0 ok, -1 timeout. */
static int board_wait(struct replug *r, int opens, long seq)
{
	uint64_t t_end = tl_now_ms() + 10000;
	int ok;

	pthread_mutex_lock(&r->mu);
	while (!(ok = (r->opens >= opens && r->last_seq >= seq)) && tl_now_ms() < t_end) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&r->cv, &r->mu, &ts);
	}
	pthread_mutex_unlock(&r->mu);
	return ok ? 0 : -1;
}

static int point_link(const char *link, const char *target)
{
	char tmp[PATH_MAX + 8];
	snprintf(tmp, sizeof tmp, "%s.new", link);
	unlink(tmp);
	/* Atomic, as udev does it: the link is never half made. */
	return symlink(target, tmp) == 0 && rename(tmp, link) == 0 ? 0 : -1;
}

static void *board_fail(struct replug *r, const char *what, int plug)
{
	snprintf(r->fail, sizeof r->fail, "plug %d: %s (errno %s)", plug, what, strerror(errno));
	atomic_store(&r->failed, 1);
	return NULL;
}

static void *replug_board(void *arg)
{
	struct replug *r = arg;
	static uint8_t frames[1 + B_COUNT * BM_FRAME_MAX];

	for (int plug = 0; plug < 2; plug++) {
		uint16_t first = plug == 0 ? A_FIRST : B_FIRST;
		unsigned count = plug == 0 ? A_COUNT : B_COUNT;
		size_t len = tl_build_samples(frames, sizeof frames, first, count, 1);
		struct tl_pty t;

		if (tl_pty_open(&t) != 0)
			return board_fail(r, "pty", plug);
		pthread_mutex_lock(&r->mu);
		r->t_plugged_ms[plug] = tl_now_ms();
		int linked = point_link(r->link, t.path);
		pthread_mutex_unlock(&r->mu);
		if (linked != 0) {
			tl_pty_close(&t);
			return board_fail(r, "symlink", plug);
		}
		/* A real board streams from power-up and bytes before the host
		 * opens are lost; the test waits for the open so that "every
		 * sample outside the gap arrives" is exact. */
		if (board_wait(r, plug + 1, -1) != 0) {
			tl_pty_close(&t);
			return board_fail(r, "the reader never opened the link", plug);
		}
		if (tl_write_chunked(t.master, frames, len) != 0 ||
		    board_wait(r, plug + 1, first + (long)count - 1) != 0) {
			tl_pty_close(&t);
			return board_fail(r, "samples not all read", plug);
		}
		/* Unplug: the udev link goes, the tty hangs up. */
		unlink(r->link);
		tl_pty_close(&t);
		if (plug == 0) {
			/* The gap: samples A_FIRST+A_COUNT .. B_FIRST-1 are made
			 * while unplugged and never sent. */
			struct timespec gap = { .tv_sec = 0, .tv_nsec = 300 * 1000000L };
			nanosleep(&gap, NULL);
		}
	}
	return NULL;
}

START_TEST(replug_resumes_without_loss)
{
	static long seqs[A_COUNT + B_COUNT + 16];
	struct replug r = { .opens = 0, .last_seq = -1, .fail = "" };
	atomic_init(&r.failed, 0);
	char dir[] = "/tmp/bm-serial-XXXXXX";
	struct bm_decoder *dec = bm_decoder_new();
	struct bm_decoder_stats st;
	struct bm_serial *p = NULL;
	uint64_t t_end = tl_now_ms() + 20000, resume_ms = 0;
	unsigned nseq = 0, gone = 0, gap_at = 0;
	pthread_t th;

	ck_assert(dec && mkdtemp(dir) != NULL);
	snprintf(r.link, sizeof r.link, "%s/ttyBOARD", dir);
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	ck_assert(pthread_create(&th, NULL, replug_board, &r) == 0);

	/* The reader, as the app's reader thread would do it. */
	while (tl_now_ms() < t_end && !atomic_load(&r.failed)) {
		uint8_t buf[512];
		struct bm_decoded m;
		const uint8_t *cur = buf;
		size_t left;
		long n;

		if (!p) {
			int rr = bm_serial_reopen_wait(r.link, BM_BAUD, backends[_i], 250, &p);
			if (rr != BM_SERIAL_OK)
				continue;
			ck_assert_msg(bm_serial_backend_of(p) == backends[_i], "reopened with the wrong backend");
			bm_decoder_restart(dec);
			pthread_mutex_lock(&r.mu);
			if (gone > 0)
				resume_ms = tl_now_ms() - r.t_plugged_ms[1];
			r.opens++;
			pthread_cond_broadcast(&r.cv);
			pthread_mutex_unlock(&r.mu);
		}
		n = bm_serial_read(p, buf, sizeof buf, 100);
		if (n == BM_SERIAL_ERR_GONE) {
			gone++;
			gap_at = nseq;
			bm_serial_close(p);
			p = NULL;
			continue;
		}
		ck_assert_msg(n >= 0, "read: expected bytes or GONE, got %ld (%s)", n, bm_serial_last_error(p));
		left = (size_t)n;
		while (bm_decoder_next(dec, &cur, &left, &m)) {
			if (m.type != BM_MSG_SAMPLE || nseq >= sizeof seqs / sizeof seqs[0])
				continue;
			seqs[nseq++] = m.u.sample.msg.seq;
			pthread_mutex_lock(&r.mu);
			r.last_seq = m.u.sample.msg.seq;
			pthread_cond_broadcast(&r.cv);
			pthread_mutex_unlock(&r.mu);
		}
		if (nseq > 0 && seqs[nseq - 1] == B_FIRST + B_COUNT - 1)
			break;
	}
	pthread_join(th, NULL);
	bm_serial_close(p);
	ck_assert_msg(r.fail[0] == 0, "board side: %s", r.fail);
	ck_assert_msg(gone == 1, "%s: expected one disconnect, saw %u", backend_names[_i], gone);
	ck_assert_msg(gap_at == A_COUNT, "gap should come after %u samples, came after %u", (unsigned)A_COUNT, gap_at);
	ck_assert_msg(nseq == A_COUNT + B_COUNT, "expected %u samples, got %u",
	              (unsigned)(A_COUNT + B_COUNT), nseq);
	for (unsigned i = 0; i < nseq; i++) {
		long want = i < A_COUNT ? A_FIRST + (long)i : B_FIRST + (long)(i - A_COUNT);
		ck_assert_msg(seqs[i] == want, "sample %u: expected seq %ld, got %ld", i, want, seqs[i]);
	}
	bm_decoder_get_stats(dec, &st);
	ck_assert_msg(st.crc_errors == 0 && st.framing_errors == 0 && st.dropped_samples == 0,
	              "decoder: expected no errors or drops, got crc %llu framing %llu dropped %llu",
	              (unsigned long long)st.crc_errors, (unsigned long long)st.framing_errors,
	              (unsigned long long)st.dropped_samples);
	/* A figure, not an assertion (no timing assertions in unit tests). */
	printf("serial replug (%s): resumed %llu ms after the device came back "
	       "(poll interval %d ms)\n", backend_names[_i], (unsigned long long)resume_ms,
	       BM_SERIAL_REOPEN_POLL_MS);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
	bm_decoder_free(dec);
	rmdir(dir);
}
END_TEST

Suite *suite_bm_serial(void)
{
	Suite *s = suite_create("bm_serial");
	TCase *pure = tcase_create("pure");
	TCase *open = tcase_create("open");
	TCase *stream = tcase_create("stream");

	tcase_add_test(pure, errno_translation);
	tcase_add_test(pure, sp_error_translation);
	tcase_add_test(pure, messages_are_one_line);
	suite_add_tcase(s, pure);

	tcase_add_test(open, not_found);
	tcase_add_test(open, bad_arguments);
	tcase_add_test(open, not_a_tty);
	tcase_add_test(open, backend_choice);
	tcase_add_loop_test(open, permission_denied, 0, 2);
	tcase_add_loop_test(open, busy_when_held, 0, 4);
	tcase_add_loop_test(open, exclusive_for_other_users, 0, 2);
	tcase_set_timeout(open, 20);
	suite_add_tcase(s, open);

	tcase_add_loop_test(stream, bytes_arrive_intact, 0, 2);
	tcase_add_loop_test(stream, gone_when_writer_closes, 0, 2);
	tcase_add_loop_test(stream, replug_resumes_without_loss, 0, 2);
	tcase_set_timeout(stream, 40);
	suite_add_tcase(s, stream);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite_bm_serial());
	int failed;

	srunner_add_suite(sr, suite_bm_ports());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
