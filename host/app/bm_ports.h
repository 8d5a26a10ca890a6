/*
 * bm_ports.h - finding the board: list the serial ports there are, guess
 * from the USB IDs which may be a bridgemon board, and ask a port for the
 * board's INFO to be sure.
 *
 * A bridgemon board is an Arduino Nano or Uno, so its USB side is one of the
 * usual USB-serial bridges: the Arduino's own 16U2 (VID 2341), the CH340 of
 * most clones (1a86:7523), an FTDI FT232R (0403:6001) or a CP210x
 * (10c4:ea60).  Those IDs only say "likely"; plenty of other gadgets use the
 * same chips.  A board is confirmed when it answers GET_INFO with an INFO
 * frame (bm_ports_get_info()).
 *
 * bm_ports_list() sorts likely boards first, in the order of that list, so
 * that an auto-detect can probe the list from the top.
 */
#ifndef BM_PORTS_H
#define BM_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "bm_protocol.h"
#include "bm_serial.h"

/** What the USB IDs say about a port. */
enum bm_port_kind {
	BM_PORT_OTHER = 0,         /**< not a bridge we know (or not USB) */
	BM_PORT_LIKELY_BOARD = 1,  /**< a USB-serial bridge boards use */
};

/** One serial port. */
struct bm_port_info {
	char *path;             /**< "/dev/ttyUSB0"; never NULL */
	char *description;      /**< libserialport's description; never NULL */
	char *usb_serial;       /**< USB serial number string, NULL if none */
	int is_usb;             /**< 1 when the VID:PID below are known */
	uint16_t usb_vid, usb_pid;
	enum bm_port_kind kind;
	const char *chip;       /**< "CH340" etc. (static text), NULL if unknown */
};

/** The ports found; free with bm_ports_list_free(). */
struct bm_port_list {
	size_t count;
	struct bm_port_info *ports;
};

/**
 * List the serial ports (through libserialport).  Pseudo-terminals are
 * not listed: they have no entry in /sys/class/tty.
 * @param out  receives the list (possibly empty), NULL on failure; must not
 *             be NULL.
 * @return     BM_SERIAL_OK, BM_SERIAL_ERR_NOMEM, BM_SERIAL_ERR_IO (errno
 *             set).
 */
int bm_ports_list(struct bm_port_list **out);

/** Free a list from bm_ports_list(); NULL is fine. */
void bm_ports_list_free(struct bm_port_list *list);

/**
 * Classify USB IDs.  Pure function.
 * @param is_usb  0 for a port that is not on USB (the IDs are then ignored).
 * @param chip    if not NULL, receives the bridge's name ("CH340", ...) or
 *                NULL for BM_PORT_OTHER.
 * @return        BM_PORT_LIKELY_BOARD for 2341:any, 1a86:7523, 0403:6001,
 *                10c4:ea60; BM_PORT_OTHER otherwise.
 */
enum bm_port_kind bm_ports_classify(int is_usb, uint16_t vid, uint16_t pid, const char **chip);

/**
 * One line for `bridgemon ports`, without newline, e.g.
 * "/dev/ttyUSB0  1a86:7523  USB2.0-Serial  likely a bridgemon board (CH340)".
 * @param port  must not be NULL.
 * @return      length the full line has (as snprintf).
 */
size_t bm_ports_format(const struct bm_port_info *port, char *buf, size_t cap);

/** Default wait for INFO, in ms.  Opening the port of an Arduino resets it
 *  (DTR), and its bootloader listens for about a second before our firmware
 *  starts; 2.5 s covers the slow old Nano bootloader. */
#define BM_PORTS_PROBE_TIMEOUT_MS 2500u

/** GET_INFO is sent again this often while waiting (ms), because one sent
 *  while the bootloader runs is lost. */
#define BM_PORTS_PROBE_RESEND_MS 250u

/** The tag our GET_INFO carries (the board echoes it in its ACK). */
#define BM_PORTS_PROBE_TAG 0xB1u

/**
 * Ask an open port for the board's INFO: send GET_INFO (again every
 * BM_PORTS_PROBE_RESEND_MS) and read until an INFO frame arrives or
 * @p timeout_ms passes.  Other frames (samples) are read and dropped.
 * @param port        must not be NULL.
 * @param timeout_ms  how long to wait for INFO, e.g. BM_PORTS_PROBE_TIMEOUT_MS.
 * @param info        receives the INFO; must not be NULL.  Zeroed unless OK
 *                    or VERSION.
 * @param msg         if not NULL, receives one line saying what went wrong
 *                    (or what answered, on success).
 * @return  BM_SERIAL_OK (INFO of our protocol version), BM_SERIAL_ERR_VERSION
 *          (INFO of another version: *info is filled and @p msg names both
 *          versions), BM_SERIAL_ERR_TIMEOUT (no INFO), BM_SERIAL_ERR_NOMEM,
 *          or the port's error (GONE, IO).
 */
int bm_ports_get_info(struct bm_serial *port, unsigned timeout_ms,
                      struct bm_info_msg *info, char *msg, size_t msg_cap);

/**
 * Open @p path at BM_BAUD, bm_ports_get_info(), close.  For `bridgemon
 * ports` and auto-detect; a caller that goes on to stream should open the
 * port itself and call bm_ports_get_info() on it, so as not to reset the
 * board twice.
 * @return  as bm_ports_get_info(), or an error of bm_serial_open() (with
 *          @p msg from bm_serial_describe(): the dialout hint and so on).
 */
int bm_ports_probe(const char *path, unsigned timeout_ms,
                   struct bm_info_msg *info, char *msg, size_t msg_cap);

/**
 * Auto-detect: the first port that looks like a board (a known USB-serial
 * bridge) and answers with the bridgemon INFO frame.  When @p log is not
 * NULL, each port asked and each refusal is said on it, one line each.
 * @return 0 with @p path_out set, or -1 when no board answered.
 */
int bm_ports_find_board(char *path_out, size_t len, FILE *log);

#endif /* BM_PORTS_H */
