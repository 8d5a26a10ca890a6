/*
 * fw_uart.h - the serial line to the host: BM_BAUD 8N1, both directions
 * through interrupt-driven rings, so that sampling never waits on the UART.
 *
 * Sending queues a whole frame into the TX ring and returns at once; the
 * "data register empty" interrupt moves one byte per character time.
 * Receiving is the same in reverse: the RX interrupt stores each byte and
 * the main loop takes them when it has time.  A frame that does not fit is
 * refused whole (see fw_ring.h), and the caller counts it.
 *
 * Baud: 250000 at 16 MHz is UBRR 3 with 0.0 % error (util/setbaud.h checks
 * it at compile time); 115200 would be 2.1 % off even with U2X.
 */
#ifndef FW_UART_H
#define FW_UART_H

#include <stdint.h>

/** Bytes of ring per direction.  TX holds six SAMPLE frames; RX covers
 *  2.5 ms of a host sending flat out while the main loop reads the chips. */
#define FW_UART_TX_RING 128u
#define FW_UART_RX_RING 64u

/** Set the line up and enable the receiver and its interrupt. */
void fw_uart_init(void);

/**
 * Queue a frame.
 * @param keep_free  bytes that must stay free in the ring afterwards (to
 *                   keep room for frames that matter more).
 * @return 0 when queued, FW_RING_FULL (negative) when it did not fit.
 */
int fw_uart_send(const uint8_t *frame, uint8_t n, uint8_t keep_free);

/** Take one received byte.  0 with *b set, or FW_RING_EMPTY. */
int fw_uart_getc(uint8_t *b);

/** Bytes lost because the RX ring was full or the line reported a framing
 *  or overrun error, since boot (saturates at 255). */
uint8_t fw_uart_rx_errors(void);

#endif /* FW_UART_H */
