/*
 * fw_eeprom.h - EEPROM access that never stalls sampling.
 *
 * Writing one EEPROM byte takes 3.4 ms; a 19-byte calibration block written
 * the usual way (eeprom_update_block) would hold the main loop for 65 ms,
 * five HX711 conversions at 80 SPS.  So a write is a job: fw_eeprom_start()
 * copies the bytes, and each fw_eeprom_poll() from the main loop starts the
 * next byte only when the previous one is done.  Bytes that already hold
 * the right value are skipped (EEPROM wear).  When the last byte is done,
 * the block is read back and compared, and the result is reported once.
 */
#ifndef FW_EEPROM_H
#define FW_EEPROM_H

#include <stdint.h>

/** Largest block one job writes. */
#define FW_EEPROM_JOB_MAX 20u

/** Results. */
enum fw_eeprom_result {
	FW_EE_IDLE = 0,         /**< no job */
	FW_EE_BUSY = 1,         /**< a job is writing */
	FW_EE_DONE = 2,         /**< the job finished and reads back right (once) */
	FW_EE_ERR_VERIFY = -1,  /**< the job finished but reads back wrong (once) */
	FW_EE_ERR_BUSY = -2,    /**< refused: another job is running */
	FW_EE_ERR_SIZE = -3,    /**< refused: more than FW_EEPROM_JOB_MAX bytes */
};

/** Start writing @p n bytes at @p data (copied) to EEPROM address @p addr.
 *  FW_EE_BUSY when started, FW_EE_ERR_BUSY or FW_EE_ERR_SIZE when not. */
int fw_eeprom_start(uint16_t addr, const uint8_t *data, uint8_t n);

/** Advance the job; see enum fw_eeprom_result.  Cheap when idle. */
int fw_eeprom_poll(void);

/** Read @p n bytes at @p addr into @p data.  FW_EE_IDLE when read,
 *  FW_EE_ERR_BUSY while a job is writing. */
int fw_eeprom_read(uint16_t addr, uint8_t *data, uint8_t n);

#endif /* FW_EEPROM_H */
