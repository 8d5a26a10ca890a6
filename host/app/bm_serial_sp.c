/*
 * bm_serial_sp.c - the libserialport backend, for real serial ports.
 *
 * libserialport knows what termios alone does not: the USB details of a
 * port and how to set a rate that has no B-constant (BM_BAUD, 250000, via
 * termios2 on Linux).  This file is the only place that sees SP_ERR_*; each
 * is turned into a bm_serial_result here, with errno set for the text.
 *
 * Waiting is done by bm_serial.c with poll() on the port's descriptor, and
 * bytes move with sp_nonblocking_read/write: libserialport's own blocking
 * calls wait in select(), which cannot tell a hang-up from data (a hung-up
 * tty is "readable" and reads 0 bytes, so sp_blocking_read spins until its
 * timeout) and aborts on a descriptor above FD_SETSIZE.
 */
#include <errno.h>
#include <libserialport.h>
#include <limits.h>
#include <unistd.h>

#include "bm_serial.h"
#include "bm_serial_priv.h"

int bm_serial_from_sp(int sp_result, enum bm_serial_op op)
{
	int e;

	switch ((enum sp_return)sp_result) {
	case SP_ERR_FAIL:
		/* The system call behind it failed; libserialport kept errno. */
		e = sp_last_error_code();
		errno = e;
		return e ? bm_serial_result_from_errno(e, op) : BM_SERIAL_ERR_IO;
	case SP_ERR_MEM:
		errno = ENOMEM;
		return BM_SERIAL_ERR_NOMEM;
	case SP_ERR_SUPP:
		errno = EOPNOTSUPP;
		return BM_SERIAL_ERR_IO;
	case SP_ERR_ARG:
	default:
		errno = EINVAL;
		return BM_SERIAL_ERR_ARG;
	}
}

/* Undo the steps of spb_open() that were done: opened 1 = sp_open, 2 = and
 * bm_serial_take_exclusive (of fd).  Keeps errno. */
static int sp_fail(struct sp_port *sp, int opened, int fd, int code)
{
	int e = errno;
	if (opened >= 2)
		bm_serial_release_exclusive(fd);
	if (opened >= 1)
		sp_close(sp);
	sp_free_port(sp);
	errno = e;
	return code;
}

/* 8N1, no flow control, in one set_config (one tcsetattr) rather than one
 * call per setting. */
static enum sp_return configure(struct sp_port *sp, int baud)
{
	struct sp_port_config *cfg = NULL;
	enum sp_return r = sp_new_config(&cfg);

	if (r == SP_OK)
		r = sp_get_config(sp, cfg);
	if (r == SP_OK)
		r = sp_set_config_baudrate(cfg, baud);
	if (r == SP_OK)
		r = sp_set_config_bits(cfg, 8);
	if (r == SP_OK)
		r = sp_set_config_parity(cfg, SP_PARITY_NONE);
	if (r == SP_OK)
		r = sp_set_config_stopbits(cfg, 1);
	if (r == SP_OK)
		r = sp_set_config_flowcontrol(cfg, SP_FLOWCONTROL_NONE);
	if (r == SP_OK)
		r = sp_set_config(sp, cfg);
	sp_free_config(cfg);
	return r;
}

static int spb_open(struct bm_serial *port, const char *dev, unsigned long baud)
{
	struct sp_port *sp = NULL;
	enum sp_return r;
	int fd = -1, code;

	r = sp_get_port_by_name(dev, &sp);
	if (r != SP_OK) {
		/* It looks the name up in /sys/class/tty: SP_ERR_ARG means
		 * there is a device node but the kernel knows no tty by that
		 * name (/dev/null, a disk, a pty). */
		if (r == SP_ERR_ARG && access(dev, F_OK) != 0) {
			errno = ENOENT;     /* unplugged since we resolved it */
			return BM_SERIAL_ERR_NOT_FOUND;
		}
		if (r == SP_ERR_ARG) {
			errno = ENOTTY;
			return BM_SERIAL_ERR_NOT_TTY;
		}
		return bm_serial_from_sp(r, BM_SERIAL_OP_OPEN);
	}
	r = sp_open(sp, SP_MODE_READ_WRITE);
	if (r != SP_OK)
		return sp_fail(sp, 0, -1, bm_serial_from_sp(r, BM_SERIAL_OP_OPEN));
	r = sp_get_port_handle(sp, &fd);
	if (r != SP_OK || fd < 0)
		return sp_fail(sp, 1, -1, r != SP_OK ? bm_serial_from_sp(r, BM_SERIAL_OP_OPEN) : BM_SERIAL_ERR_IO);
	code = bm_serial_take_exclusive(fd);
	if (code != BM_SERIAL_OK)
		return sp_fail(sp, 1, fd, code);
	r = configure(sp, (int)baud);
	if (r != SP_OK)
		return sp_fail(sp, 2, fd, bm_serial_from_sp(r, BM_SERIAL_OP_OPEN));
	port->fd = fd;
	port->impl = sp;
	return BM_SERIAL_OK;
}

static long spb_read_now(struct bm_serial *port, uint8_t *buf, size_t cap)
{
	enum sp_return r = sp_nonblocking_read(port->impl, buf, cap > INT_MAX ? INT_MAX : cap);
	/* 0 here is "nothing" (libserialport maps EAGAIN to 0) or a hang-up
	 * (read() returned 0); bm_serial.c tells them apart by poll()'s
	 * POLLHUP. */
	if (r >= 0)
		return (long)r;
	if (r == SP_ERR_FAIL && (sp_last_error_code() == EAGAIN || sp_last_error_code() == EINTR))
		return 0;
	return bm_serial_from_sp(r, BM_SERIAL_OP_IO);
}

static long spb_write_now(struct bm_serial *port, const uint8_t *data, size_t len)
{
	enum sp_return r = sp_nonblocking_write(port->impl, data, len > INT_MAX ? INT_MAX : len);
	if (r >= 0)
		return (long)r;
	if (r == SP_ERR_FAIL && (sp_last_error_code() == EAGAIN || sp_last_error_code() == EINTR))
		return 0;
	return bm_serial_from_sp(r, BM_SERIAL_OP_IO);
}

static void spb_close(struct bm_serial *port)
{
	if (port->impl) {
		if (port->fd >= 0)
			bm_serial_release_exclusive(port->fd);
		sp_close(port->impl);
		sp_free_port(port->impl);
	}
	port->impl = NULL;
	port->fd = -1;
}

const struct bm_serial_ops bm_serial_sp_ops = {
	.id = BM_SERIAL_LIBSERIALPORT,
	.open = spb_open,
	.read_now = spb_read_now,
	.write_now = spb_write_now,
	.close = spb_close,
};
