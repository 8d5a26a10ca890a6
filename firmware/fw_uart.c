/* fw_uart.c - USART0 with interrupt-driven rings; see fw_uart.h. */
#include "fw_uart.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <util/atomic.h>

#include "bm_protocol.h"
#include "fw_ring.h"

#define BAUD BM_BAUD
#define BAUD_TOL 1   /* percent; 250000 at 16 MHz is exact */
#include <util/setbaud.h>

static volatile uint8_t s_tx_buf[FW_UART_TX_RING];
static volatile uint8_t s_rx_buf[FW_UART_RX_RING];
static struct fw_ring s_tx, s_rx;
static volatile uint8_t s_rx_errors;

static inline void tx_ready_interrupt(uint8_t on)
{
	if (on)
		UCSR0B |= _BV(UDRIE0);
	else
		UCSR0B &= (uint8_t)~_BV(UDRIE0);
}

static inline uint8_t rx_status_is_bad(uint8_t ucsr0a)
{
	/* Frame error or data overrun; must be read before UDR0. */
	return (ucsr0a & (_BV(FE0) | _BV(DOR0))) != 0;
}

static inline void count_rx_error(void)
{
	if (s_rx_errors != 0xFF)
		s_rx_errors++;
}

ISR(USART_RX_vect)
{
	uint8_t status = UCSR0A;
	uint8_t b = UDR0;

	if (rx_status_is_bad(status))
		count_rx_error();
	/* A damaged byte is still passed on: the frame's CRC rejects it, and
	 * dropping it here would merge two frames instead. */
	if (fw_ring_put(&s_rx, b) != FW_RING_OK)
		count_rx_error();
}

ISR(USART_UDRE_vect)
{
	uint8_t b;

	if (fw_ring_get(&s_tx, &b) == FW_RING_OK)
		UDR0 = b;
	else
		tx_ready_interrupt(0);
}

void fw_uart_init(void)
{
	fw_ring_init(&s_tx, s_tx_buf, FW_UART_TX_RING);
	fw_ring_init(&s_rx, s_rx_buf, FW_UART_RX_RING);
	UBRR0H = UBRRH_VALUE;
	UBRR0L = UBRRL_VALUE;
#if USE_2X
	UCSR0A = _BV(U2X0);
#else
	UCSR0A = 0;
#endif
	UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);               /* 8N1 */
	UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}

int fw_uart_send(const uint8_t *frame, uint8_t n, uint8_t keep_free)
{
	int r = fw_ring_write(&s_tx, frame, n, keep_free);

	if (r == FW_RING_OK) {
		/* UCSR0B is beyond sbi's reach: a read-modify-write that the
		 * UDRE interrupt (which clears the bit) must not split. */
		ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
			tx_ready_interrupt(1);
		}
	}
	return r;
}

int fw_uart_getc(uint8_t *b)
{
	return fw_ring_get(&s_rx, b);
}

uint8_t fw_uart_rx_errors(void)
{
	return s_rx_errors;
}
