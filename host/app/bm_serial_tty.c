/*
 * bm_serial_tty.c - the termios backend: plain POSIX calls on the device
 * file.  It exists for pseudo-terminals (the simavr board harness, socat, a
 * simulator), which libserialport 0.1.1 will not open.  A pty has no line, so
 * its rate means nothing; raw 8N1 is what matters, so that no byte (0x00 and
 * 0x11/0x13 above all, in a COBS stream) is translated or swallowed.
 *
 * Forced onto a real port it works at the standard rates only: BM_BAUD
 * (250000) has no B-constant and needs termios2, which is libserialport's
 * job; we say so rather than run at a wrong rate.
 */
#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include "bm_serial.h"
#include "bm_serial_priv.h"

/* The B-constant for a rate, or B0 when termios has none. */
static speed_t speed_constant(unsigned long baud)
{
	switch (baud) {
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	case 230400: return B230400;
	case 460800: return B460800;
	case 500000: return B500000;
	case 921600: return B921600;
	case 1000000: return B1000000;
	default: return B0;
	}
}

static int fail_closing(int fd, int code, int e)
{
	close(fd);
	errno = e;
	return code;
}

/* The same once the port is ours: give exclusivity back first. */
static int fail_releasing(int fd, int code, int e)
{
	bm_serial_release_exclusive(fd);
	close(fd);
	errno = e;
	return code;
}

static int tty_open(struct bm_serial *port, const char *dev, unsigned long baud)
{
	struct termios t;
	speed_t sp = speed_constant(baud);
	int is_pty = bm_serial_path_is_pty(dev);
	int fd, r;

	/* O_NOCTTY: a board must never become our controlling terminal.
	 * O_NONBLOCK: we wait in poll(), never in read(). */
	fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return bm_serial_result_from_errno(errno, BM_SERIAL_OP_OPEN);
	if (!isatty(fd))
		return fail_closing(fd, BM_SERIAL_ERR_NOT_TTY, ENOTTY);
	if (sp == B0 && !is_pty)
		return fail_closing(fd, BM_SERIAL_ERR_ARG, EINVAL);
	r = bm_serial_take_exclusive(fd);
	if (r != BM_SERIAL_OK)
		return fail_closing(fd, r, errno);
	if (tcgetattr(fd, &t) != 0)
		return fail_releasing(fd, bm_serial_result_from_errno(errno, BM_SERIAL_OP_OPEN), errno);
	cfmakeraw(&t);
	t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB | CRTSCTS);
	t.c_cflag |= CS8 | CREAD | CLOCAL;
	t.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
	/* VMIN 1: with O_NONBLOCK an empty read is then EAGAIN, so a read of
	 * 0 bytes can only be end of file (VMIN 0 would return 0 for "no data
	 * yet" too, and we could not tell that from a hang-up). */
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (sp != B0) {
		cfsetispeed(&t, sp);
		cfsetospeed(&t, sp);
	}
	if (tcsetattr(fd, TCSANOW, &t) != 0)
		return fail_releasing(fd, bm_serial_result_from_errno(errno, BM_SERIAL_OP_OPEN), errno);
	port->fd = fd;
	port->impl = NULL;
	return BM_SERIAL_OK;
}

static long tty_read_now(struct bm_serial *port, uint8_t *buf, size_t cap)
{
	ssize_t n = read(port->fd, buf, cap);
	if (n > 0)
		return (long)n;
	if (n == 0) {
		/* O_NONBLOCK and VMIN 1: no data gives EAGAIN, so 0 is end
		 * of file: the tty was hung up. */
		errno = EIO;
		return BM_SERIAL_ERR_GONE;
	}
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	return bm_serial_result_from_errno(errno, BM_SERIAL_OP_IO);
}

static long tty_write_now(struct bm_serial *port, const uint8_t *data, size_t len)
{
	ssize_t n = write(port->fd, data, len);
	if (n >= 0)
		return (long)n;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	return bm_serial_result_from_errno(errno, BM_SERIAL_OP_IO);
}

static void tty_close(struct bm_serial *port)
{
	if (port->fd >= 0) {
		bm_serial_release_exclusive(port->fd);
		close(port->fd);
	}
	port->fd = -1;
}

const struct bm_serial_ops bm_serial_tty_ops = {
	.id = BM_SERIAL_TERMIOS,
	.open = tty_open,
	.read_now = tty_read_now,
	.write_now = tty_write_now,
	.close = tty_close,
};
