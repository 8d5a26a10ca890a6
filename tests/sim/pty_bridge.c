/* pty_bridge.c - pseudo-terminal for the simulated board; see pty_bridge.h. */
#include "pty_bridge.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct pty_bridge {
	int master;
	int connected;
	uint64_t dropped;
};

struct pty_bridge *pty_bridge_open(char *path, size_t path_len)
{
	struct pty_bridge *b = calloc(1, sizeof *b);
	struct termios t;
	int slave;
	char name[128];

	if (!b)
		return NULL;
	if (openpty(&b->master, &slave, name, NULL, NULL) != 0) {
		free(b);
		return NULL;
	}
	/* Raw, so no line discipline rewrites 0x0A or eats 0x03; the setting
	 * stays with the pty after we close our slave descriptor. */
	if (tcgetattr(slave, &t) == 0) {
		cfmakeraw(&t);
		cfsetispeed(&t, B230400);
		cfsetospeed(&t, B230400);
		tcsetattr(slave, TCSANOW, &t);
	}
	close(slave);
	fcntl(b->master, F_SETFL, fcntl(b->master, F_GETFL) | O_NONBLOCK);
	snprintf(path, path_len, "%s", name);
	return b;
}

void pty_bridge_close(struct pty_bridge *b)
{
	if (!b)
		return;
	close(b->master);
	free(b);
}

int pty_bridge_poll_open(struct pty_bridge *b)
{
	struct pollfd p = {.fd = b->master, .events = POLLIN};
	int was = b->connected;

	if (poll(&p, 1, 0) < 0)
		return 0;
	/* Linux reports POLLHUP on the master while no slave is open. */
	b->connected = !(p.revents & POLLHUP);
	if (b->connected && !was) {
		/* Bytes written before the program opened the port are stale. */
		tcflush(b->master, TCIOFLUSH);
		return 1;
	}
	return 0;
}

int pty_bridge_connected(const struct pty_bridge *b)
{
	return b->connected;
}

void pty_bridge_write(struct pty_bridge *b, const uint8_t *data, size_t n)
{
	size_t done = 0;

	if (!b->connected) {
		b->dropped += n;
		return;
	}
	while (done < n) {
		ssize_t w = write(b->master, data + done, n - done);
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			b->dropped += n - done;
			return;
		}
		done += (size_t)w;
	}
}

size_t pty_bridge_read(struct pty_bridge *b, uint8_t *buf, size_t n)
{
	ssize_t r;

	if (!b->connected)
		return 0;
	r = read(b->master, buf, n);
	return r > 0 ? (size_t)r : 0;
}

uint64_t pty_bridge_dropped(const struct pty_bridge *b)
{
	return b->dropped;
}
