/*
 * bm_serial.h - the serial edge of bridgemon: one small interface for a byte
 * stream to and from the board, whatever sits behind the path.
 *
 * Two backends hide behind it.  Real ports (/dev/ttyUSB0, /dev/ttyACM0, and
 * udev links to them such as /dev/serial/by-id/...) go through libserialport,
 * which knows the USB details and sets non-standard rates like BM_BAUD
 * (250000) with termios2.  Pseudo-terminals (/dev/pts/N: the simavr board
 * harness, socat, any simulator) go through plain termios, because
 * libserialport 0.1.1 refuses a pty (it wants a /sys/class/tty entry and the
 * modem-line ioctls; see shared/PLATFORM.md).  The choice is made in one
 * place, bm_serial_pick_backend(), by looking at the device the path leads
 * to; tests can force either backend with bm_serial_open_backend().
 *
 * Every system or libserialport error is translated here into the small
 * enum below, and into one line of text a person can act on
 * (bm_serial_describe(), bm_serial_last_error()).
 *
 * Unplug/replug: a read or write on a device that vanished returns
 * BM_SERIAL_ERR_GONE, every time, at once (never a stream of 0-byte reads).
 * The caller then closes the port straight away (a USB adapter that is still
 * held open comes back under a new name, ttyUSB1 instead of ttyUSB0) and
 * calls bm_serial_reopen_wait() in a loop until the same path opens again:
 *
 *     for (;;) {                       // reader thread
 *         long n = bm_serial_read(p, buf, sizeof buf, 50);
 *         if (n == BM_SERIAL_ERR_GONE) {
 *             bm_serial_close(p); p = NULL;
 *             show("disconnected - waiting for device"); mark_gap();
 *             while (!quit && bm_serial_reopen_wait(path, BM_BAUD,
 *                        BM_SERIAL_AUTO, 250, &p) != BM_SERIAL_OK)
 *                 ;
 *             bm_decoder_restart(dec);
 *             continue;
 *         }
 *         ...feed n bytes to the decoder...
 *     }
 *
 * A port is used by one thread at a time; different ports are independent.
 * Nothing here keeps global state.
 */
#ifndef BM_SERIAL_H
#define BM_SERIAL_H

#include <stddef.h>
#include <stdint.h>

/** Results.  0 is OK; every error is negative and documented. */
enum bm_serial_result {
	BM_SERIAL_OK = 0,
	/** A NULL pointer, an empty path, a zero baud rate, or a rate the
	 *  termios backend cannot set on a real port. */
	BM_SERIAL_ERR_ARG = -1,
	/** Nothing at that path (ENOENT), or a device node without hardware
	 *  behind it (ENXIO/ENODEV at open). */
	BM_SERIAL_ERR_NOT_FOUND = -2,
	/** The device exists but we may not open it (EACCES/EPERM): usually
	 *  the user is not in the device's group (dialout on Debian). */
	BM_SERIAL_ERR_PERMISSION = -3,
	/** Another program holds the port (EBUSY from its exclusive mode, or
	 *  our advisory lock held by another bridgemon). */
	BM_SERIAL_ERR_BUSY = -4,
	/** Any other failure of the system or of libserialport. */
	BM_SERIAL_ERR_IO = -5,
	/** The device went away while open: unplugged (EIO/ENXIO/ENODEV or a
	 *  hang-up), or the other side of a pty closed.  Close and reopen. */
	BM_SERIAL_ERR_GONE = -6,
	/** Out of memory. */
	BM_SERIAL_ERR_NOMEM = -7,
	/** Nothing happened within the time given (bm_serial_reopen_wait()
	 *  does not return this; the probe in bm_ports.h does). */
	BM_SERIAL_ERR_TIMEOUT = -8,
	/** The path leads to something that is not a terminal (a file,
	 *  /dev/null, a disk). */
	BM_SERIAL_ERR_NOT_TTY = -9,
	/** The board answered, but speaks another protocol version
	 *  (bm_ports.h; the INFO is still handed back). */
	BM_SERIAL_ERR_VERSION = -10,
};

/** Which code talks to the device. */
enum bm_serial_backend {
	BM_SERIAL_AUTO = 0,          /**< decide with bm_serial_pick_backend() */
	BM_SERIAL_LIBSERIALPORT = 1, /**< real serial ports */
	BM_SERIAL_TERMIOS = 2,       /**< pseudo-terminals */
};

/** What failed, for bm_serial_result_from_errno(): the same errno means
 *  "not there" when opening and "unplugged" once the port was open. */
enum bm_serial_op {
	BM_SERIAL_OP_OPEN = 0,
	BM_SERIAL_OP_IO = 1,
};

/** How often bm_serial_reopen_wait() looks for the device, in ms.  A device
 *  that reappears is opened at most this long after its node exists. */
#define BM_SERIAL_REOPEN_POLL_MS 100

/** Longest text bm_serial_last_error() returns, with its NUL. */
#define BM_SERIAL_ERRTEXT_MAX 256

struct bm_serial;

/**
 * Open a serial port for reading and writing, raw 8N1, no flow control,
 * and take it exclusively (other programs get "busy" while we hold it).
 * The backend is chosen with bm_serial_pick_backend().
 * @param path  device path or a symlink to one; must not be NULL.
 * @param baud  line rate in bit/s, normally BM_BAUD; ignored by a pty
 *              (which has no line), but still must not be 0.
 * @param out   receives the port, or NULL on failure; must not be NULL.
 *              Close with bm_serial_close().
 * @return      BM_SERIAL_OK, or ARG, NOT_FOUND, NOT_TTY, PERMISSION, BUSY,
 *              NOMEM, IO.  On failure errno holds the system's code (0 when
 *              there is none) for bm_serial_describe().
 */
int bm_serial_open(const char *path, unsigned long baud, struct bm_serial **out);

/**
 * bm_serial_open() with the backend chosen by the caller.  BM_SERIAL_AUTO
 * is the same as bm_serial_open(); the others exist so that tests can drive
 * the libserialport code over a pty (with tests/serial/sp_pty_shim.c) and the
 * termios code over anything.
 */
int bm_serial_open_backend(const char *path, unsigned long baud,
                           enum bm_serial_backend backend, struct bm_serial **out);

/**
 * Wait for a device to (re)appear at @p path and open it: try at once, then
 * every BM_SERIAL_REOPEN_POLL_MS until @p timeout_ms has passed.  Every
 * failure counts as "not yet", because a replugged device comes back in
 * steps (the node appears, then udev gives it its group).
 * @param timeout_ms  how long to keep trying; 0 tries once.  Keep it short
 *                    (about 250 ms) and loop, so that the caller can stop.
 * @return  BM_SERIAL_OK with *out set, or the last open error (NOT_FOUND
 *          while the device is away, PERMISSION or BUSY when it is back but
 *          cannot be opened), errno set as by bm_serial_open().
 */
int bm_serial_reopen_wait(const char *path, unsigned long baud,
                          enum bm_serial_backend backend, unsigned timeout_ms,
                          struct bm_serial **out);

/** Close the port and free it.  NULL is fine. */
void bm_serial_close(struct bm_serial *port);

/**
 * Read what is there, waiting up to @p timeout_ms for the first byte.
 * @param port  must not be NULL.
 * @param buf   at least @p cap bytes; must not be NULL.
 * @param timeout_ms  0 does not wait.
 * @return  bytes read (1..cap), 0 when nothing came within the time (or a
 *          signal interrupted the wait), or BM_SERIAL_ERR_GONE (and on every
 *          later call), BM_SERIAL_ERR_IO, BM_SERIAL_ERR_ARG.
 */
long bm_serial_read(struct bm_serial *port, uint8_t *buf, size_t cap, unsigned timeout_ms);

/**
 * Write all of @p len bytes, or as many as the port takes within
 * @p timeout_ms.
 * @return  bytes written (fewer than @p len only on timeout), or
 *          BM_SERIAL_ERR_GONE, BM_SERIAL_ERR_IO, BM_SERIAL_ERR_ARG.
 */
long bm_serial_write(struct bm_serial *port, const uint8_t *data, size_t len, unsigned timeout_ms);

/** The path the port was opened with (as given, before symlinks). */
const char *bm_serial_path(const struct bm_serial *port);

/** The backend in use (never BM_SERIAL_AUTO). */
enum bm_serial_backend bm_serial_backend_of(const struct bm_serial *port);

/** One line describing the last failure on this port ("" when none).  The
 *  text stays valid until the next call on the port. */
const char *bm_serial_last_error(const struct bm_serial *port);

/**
 * The backend for a path: BM_SERIAL_TERMIOS when it leads (through
 * symlinks) to a pseudo-terminal slave, BM_SERIAL_LIBSERIALPORT otherwise
 * (including when nothing is there: the open then says "not found").
 */
enum bm_serial_backend bm_serial_pick_backend(const char *path);

/** 1 when @p path leads to a pseudo-terminal slave, else 0. */
int bm_serial_path_is_pty(const char *path);

/**
 * Classify a system error.  Pure function.
 * @param err  an errno value.
 * @param op   whether it came from opening or from I/O on an open port.
 * @return     a bm_serial_result (never OK; 0 and unknown values give IO).
 */
int bm_serial_result_from_errno(int err, enum bm_serial_op op);

/** Short fixed text for a result code, e.g. "permission denied".  Never
 *  NULL; unknown codes give "unknown error". */
const char *bm_serial_strerror(int code);

/**
 * One line for people: what happened to which path, and what to do.
 * Pure function (tests call it directly).
 * @param code       a bm_serial_result.
 * @param sys_errno  the system's code for details (0 for none).
 * @param path       the path as the user gave it; NULL prints "(no path)".
 * @param group      the group that may open the device, for the permission
 *                   hint; NULL means "dialout".
 * @param buf        receives the NUL-terminated line; may be NULL if
 *                   @p cap is 0.
 * @return           length the full line has (as snprintf).
 */
size_t bm_serial_format_error(int code, int sys_errno, const char *path,
                              const char *group, char *buf, size_t cap);

/**
 * bm_serial_format_error() with the group looked up on the device itself
 * (its group when the group may read and write it and is not root, else
 * "dialout").  Call it right after a failed open, with the errno it left.
 */
size_t bm_serial_describe(int code, int sys_errno, const char *path, char *buf, size_t cap);

#endif /* BM_SERIAL_H */
