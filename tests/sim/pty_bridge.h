/*
 * pty_bridge.h - the simulated board's serial port as a pseudo-terminal, so
 * that `bridgemon --port /dev/pts/N` (or any terminal program) opens it like
 * a USB-serial adapter.
 *
 * Our own openpty(3) bridge rather than simavr's uart_pty part, which makes
 * a fixed symlink in the system temp folder and hangs on stop.  The slave is
 * set to raw mode and closed again, so the bridge can tell whether a
 * program has the port open (the master then stops reporting a hang-up):
 * bytes the board sends while nobody listens are dropped, as a USB-serial
 * chip would drop them, and the moment a program opens the port is
 * reported, so the caller can reset the board the way an Arduino's DTR
 * line does.
 */
#ifndef PTY_BRIDGE_H
#define PTY_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

struct pty_bridge;

/**
 * Open a pseudo-terminal pair.
 * @param path      receives the slave's path (/dev/pts/N); not NULL.
 * @return the bridge, or NULL with errno set.
 */
struct pty_bridge *pty_bridge_open(char *path, size_t path_len);

/** Close (NULL is fine). */
void pty_bridge_close(struct pty_bridge *b);

/**
 * Look at the port.
 * @return 1 if a program opened the port since the last call (the stale
 *         bytes queued towards it were flushed), 0 otherwise.
 */
int pty_bridge_poll_open(struct pty_bridge *b);

/** 1 while a program has the port open. */
int pty_bridge_connected(const struct pty_bridge *b);

/** Board to host: write what fits; bytes are dropped while nobody has the
 *  port open or the pty buffer is full (counted). */
void pty_bridge_write(struct pty_bridge *b, const uint8_t *data, size_t n);

/** Host to board: read what is there without blocking.  Bytes read. */
size_t pty_bridge_read(struct pty_bridge *b, uint8_t *buf, size_t n);

/** Bytes dropped towards the host so far. */
uint64_t pty_bridge_dropped(const struct pty_bridge *b);

#endif /* PTY_BRIDGE_H */
