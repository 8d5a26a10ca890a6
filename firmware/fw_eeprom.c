/* fw_eeprom.c - byte-at-a-time EEPROM writer; see fw_eeprom.h. */
#include "fw_eeprom.h"

#include <avr/eeprom.h>
#include <string.h>

static uint8_t s_data[FW_EEPROM_JOB_MAX];
static uint16_t s_addr;
static uint8_t s_len;
static uint8_t s_next;     /* next byte to write */
static uint8_t s_active;

int fw_eeprom_start(uint16_t addr, const uint8_t *data, uint8_t n)
{
	if (s_active)
		return FW_EE_ERR_BUSY;
	if (n > FW_EEPROM_JOB_MAX)
		return FW_EE_ERR_SIZE;
	memcpy(s_data, data, n);
	s_addr = addr;
	s_len = n;
	s_next = 0;
	s_active = 1;
	return FW_EE_BUSY;
}

int fw_eeprom_poll(void)
{
	uint8_t *p;

	if (!s_active)
		return FW_EE_IDLE;
	if (!eeprom_is_ready())
		return FW_EE_BUSY;
	/* Skip bytes already right; start at most one write per call. */
	while (s_next < s_len) {
		p = (uint8_t *)(uintptr_t)(s_addr + s_next);
		if (eeprom_read_byte(p) != s_data[s_next]) {
			eeprom_write_byte(p, s_data[s_next]);
			s_next++;
			return FW_EE_BUSY;
		}
		s_next++;
	}
	s_active = 0;
	for (uint8_t i = 0; i < s_len; i++) {
		p = (uint8_t *)(uintptr_t)(s_addr + i);
		if (eeprom_read_byte(p) != s_data[i])
			return FW_EE_ERR_VERIFY;
	}
	return FW_EE_DONE;
}

int fw_eeprom_read(uint16_t addr, uint8_t *data, uint8_t n)
{
	if (s_active)
		return FW_EE_ERR_BUSY;
	eeprom_read_block(data, (const void *)(uintptr_t)addr, n);
	return FW_EE_IDLE;
}
