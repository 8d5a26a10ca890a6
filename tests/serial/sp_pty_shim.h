/*
 * sp_pty_shim.h - test-only interposition that lets libserialport 0.1.1 open
 * a pseudo-terminal, so the tests drive the real libserialport backend of
 * bm_serial over a pty.  See sp_pty_shim.c for what is faked and why.
 */
#ifndef SP_PTY_SHIM_H
#define SP_PTY_SHIM_H

/** How many calls the shim answered itself (sysfs lookups and modem-line
 *  ioctls on a pty) since the process started.  Non-zero after a
 *  libserialport open of a pty proves libserialport's code ran on it. */
unsigned sp_pty_shim_hits(void);

#endif
