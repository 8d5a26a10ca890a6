/*
 * bm_serial_priv.h - what the two serial backends share with bm_serial.c;
 * not for the rest of the program.
 *
 * bm_serial.c owns everything a caller sees: resolving the path, choosing
 * the backend, waiting with poll(), recognising a hang-up, the error texts.
 * A backend only opens and configures the device and moves bytes without
 * waiting, so that "unplugged" is recognised the same way for both.
 */
#ifndef BM_SERIAL_PRIV_H
#define BM_SERIAL_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "bm_serial.h"

struct bm_serial;

/** One backend.  Results are bm_serial_result codes; on failure errno holds
 *  the system's code (0 when there is none). */
struct bm_serial_ops {
	enum bm_serial_backend id;
	/** Open and configure @p dev (a resolved device path, no symlinks):
	 *  raw 8N1 at @p baud, no flow control, exclusive.  Sets port->fd (what
	 *  poll() waits on) and port->impl.  On failure leaves nothing open. */
	int (*open)(struct bm_serial *port, const char *dev, unsigned long baud);
	/** Read without waiting: bytes (> 0), 0 when nothing is there, or an
	 *  error (BM_SERIAL_ERR_GONE when the tty reports end of file). */
	long (*read_now)(struct bm_serial *port, uint8_t *buf, size_t cap);
	/** Write without waiting: bytes taken (maybe 0), or an error. */
	long (*write_now)(struct bm_serial *port, const uint8_t *data, size_t len);
	/** Release what open() acquired. */
	void (*close)(struct bm_serial *port);
};

struct bm_serial {
	const struct bm_serial_ops *ops;
	char *path;         /* as the caller gave it, for messages */
	int fd;             /* the device, for poll() */
	void *impl;         /* backend state: struct sp_port * for libserialport */
	int gone;           /* a hang-up was seen: every later call says GONE */
	char err[BM_SERIAL_ERRTEXT_MAX];
};

extern const struct bm_serial_ops bm_serial_sp_ops;
extern const struct bm_serial_ops bm_serial_tty_ops;

/**
 * Take the port for ourselves: an advisory flock (which also stops a second
 * bridgemon running as root, whom the kernel's exclusive mode lets through)
 * and TIOCEXCL (further opens by other users get EBUSY).
 * @return BM_SERIAL_OK, BM_SERIAL_ERR_BUSY or BM_SERIAL_ERR_IO, errno set.
 */
int bm_serial_take_exclusive(int fd);

/** Undo bm_serial_take_exclusive() before closing: TIOCEXCL belongs to the
 *  tty, not to our descriptor, and a tty that outlives our close (a pty
 *  whose master stays open) would refuse everyone but root afterwards. */
void bm_serial_release_exclusive(int fd);

/**
 * Translate a libserialport result (SP_ERR_*, < 0) met during @p op, and
 * set errno (from sp_last_error_code() for SP_ERR_FAIL).  The one place
 * SP_ERR_* is read; bm_ports.c uses it for sp_list_ports().
 */
int bm_serial_from_sp(int sp_result, enum bm_serial_op op);

#endif /* BM_SERIAL_PRIV_H */
