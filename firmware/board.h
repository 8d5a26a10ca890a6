/*
 * board.h - the bridgemon pin map: the one place that says which ATmega328P
 * pin does what.  The schematic (schematics/) labels its nets with the names
 * below, and tests/hw checks the KiCad netlist against this file, so a pin
 * changed here and not there (or the other way round) fails the build.
 *
 * Board: Arduino Nano or Uno (ATmega328P at 16 MHz, USB serial on PD0/PD1).
 *
 * Both HX711 DOUT lines sit on one port so that a single PIN register read
 * samples the two chips on the same clock edge: the left and right heel
 * readings of a frame are taken together, bit by bit.
 *
 * Format (parsed by tests/hw/check_pinmap.py, keep it regular):
 *   #define BM_PIN_<NET>_PORT <letter>     port B, C or D
 *   #define BM_PIN_<NET>_BIT  <0..7>       bit in that port
 * followed by a comment naming the Arduino pin.  <NET> is the net label in
 * the schematic.
 */
#ifndef BM_BOARD_H
#define BM_BOARD_H

/* Shared serial clock of both HX711s (output). */
#define BM_PIN_HX711_SCK_PORT D
#define BM_PIN_HX711_SCK_BIT 4      /* Arduino D4 */

/* Data out of the left-heel HX711 (input). */
#define BM_PIN_HX711_DOUT_L_PORT D
#define BM_PIN_HX711_DOUT_L_BIT 2   /* Arduino D2 */

/* Data out of the right-heel HX711 (input). */
#define BM_PIN_HX711_DOUT_R_PORT D
#define BM_PIN_HX711_DOUT_R_BIT 3   /* Arduino D3 */

/* RATE input of both HX711s (output): high = 80 SPS, low = 10 SPS.  On
 * breakouts that tie RATE to a jumper, leave this pin unconnected and set
 * the jumper; the firmware then measures the rate it actually gets. */
#define BM_PIN_HX711_RATE_PORT D
#define BM_PIN_HX711_RATE_BIT 5     /* Arduino D5 */

/* Status LED (output, active high): the Nano's and Uno's on-board "L" LED. */
#define BM_PIN_LED_STATUS_PORT B
#define BM_PIN_LED_STATUS_BIT 5     /* Arduino D13 */

/* Register names from a port letter: BM_PORT(BM_PIN_LED_STATUS) is PORTB. */
#define BM_CAT_(a, b) a##b
#define BM_CAT(a, b) BM_CAT_(a, b)
#define BM_PORT(pin) BM_CAT(PORT, BM_CAT(pin, _PORT))
#define BM_DDR(pin) BM_CAT(DDR, BM_CAT(pin, _PORT))
#define BM_PINR(pin) BM_CAT(PIN, BM_CAT(pin, _PORT))
#define BM_BIT(pin) BM_CAT(pin, _BIT)
#define BM_MASK(pin) (1u << BM_BIT(pin))

#endif /* BM_BOARD_H */
