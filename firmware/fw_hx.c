/* fw_hx.c - HX711 read scheduling and reading interpretation; see fw_hx.h. */
#include "fw_hx.h"

/* Has time @p t come at @p now?  Wrap-safe for |now - t| < 2^31 us. */
static int reached(uint32_t now, uint32_t t)
{
	return (int32_t)(now - t) >= 0;
}

static uint32_t periods(const struct fw_hx *hx, uint8_t n)
{
	return hx->period_us * n;
}

static void set_period(struct fw_hx *hx, uint8_t rate_sps)
{
	hx->rate_sps = rate_sps == 10 ? 10 : 80;
	hx->period_us = 1000000UL / hx->rate_sps;
	hx->p_min_us = hx->period_us / 100u * (100u - FW_HX_OSC_TOL_PCT);
	hx->p_max_us = hx->period_us / 100u * (100u + FW_HX_OSC_TOL_PCT);
}

/* The read guard's three helpers are kept out of line (noinline): inlined
 * into the main loop by LTO they cost 206 more bytes of flash. */

/* Forget when the chips' words came: from @p now_us on, a chip is taken
 * as not ready until a poll sees it (resets and rate changes restart the
 * conversions; a read leaves DOUT high). */
static __attribute__((noinline)) void words_unknown(struct fw_hx *hx, uint32_t now_us,
                                                    uint8_t chips)
{
	uint8_t ch;

	for (ch = 0; ch < BM_NCHAN; ch++) {
		if (chips & FW_HX_BIT(ch)) {
			hx->high_us[ch] = now_us;
			hx->low_us[ch] = now_us;
		}
	}
	hx->low_seen &= (uint8_t)~chips;
}

/* Learn from one poll when each chip's word came: it came after the last
 * poll that saw DOUT high and at or before the first that saw it low. */
static __attribute__((noinline)) void track_words(struct fw_hx *hx, uint32_t now_us,
                                                  uint8_t ready)
{
	uint8_t ch;

	for (ch = 0; ch < BM_NCHAN; ch++) {
		uint8_t bit = FW_HX_BIT(ch);
		if (!(ready & bit)) {
			hx->high_us[ch] = now_us;
			hx->low_seen &= (uint8_t)~bit;
		} else if (!(hx->low_seen & bit)) {
			hx->low_us[ch] = now_us;
			hx->low_seen |= bit;
		}
	}
}

/*
 * Could chip @p ch's next conversion complete while a read decided at
 * @p now_us is under way?  Its word came in (high_us, low_us]; conversion k
 * after it completes in [high_us + k * Pmin, low_us + k * Pmax]; the read
 * needs [now - FW_HX_GUARD_US, now + FW_HX_READ_US] free.  Microseconds
 * fit: 8 periods of 105 ms are below 2^32.
 */
static __attribute__((noinline)) int conversion_near(const struct fw_hx *hx, uint8_t ch,
                                                    uint32_t now_us)
{
	uint32_t since_high = now_us - hx->high_us[ch];
	uint32_t since_low = now_us - hx->low_us[ch];
	uint32_t earliest = 0, latest = FW_HX_GUARD_US;   /* conversion k, from the word */
	uint8_t k;

	if (hx->low_us[ch] - hx->high_us[ch] > FW_HX_GUARD_MAX_UNCERTAIN_US(hx->period_us))
		return 0;
	/* Sums, not products: a 32-bit multiply or divide costs the AVR
	 * microseconds, and this runs in every pass that may read. */
	for (k = 1; k <= FW_HX_GUARD_PERIODS; k++) {
		earliest += hx->p_min_us;
		latest += hx->p_max_us;
		if (earliest > since_high + FW_HX_READ_US)
			return 0;      /* conversion k, and all later ones, after the read */
		if (latest >= since_low)
			return 1;      /* it can fall inside the read */
	}
	return 0;
}

void fw_hx_init(struct fw_hx *hx, uint32_t now_us, uint8_t rate_sps, uint8_t gain)
{
	set_period(hx, rate_sps);
	hx->gain = gain == 64 ? 64 : 128;
	hx->flagged = 0;
	hx->low_seen = 0;
	fw_hx_reset_done(hx, now_us);
	/* Powering up is not a recovery: nothing to mark. */
	hx->reset_mark = 0;
}

int fw_hx_poll(struct fw_hx *hx, uint32_t now_us, uint8_t ready, uint8_t *read_mask)
{
	uint8_t ch;

	*read_mask = 0;
	ready &= FW_HX_ALL;
	track_words(hx, now_us, ready);
	for (ch = 0; ch < BM_NCHAN; ch++) {
		uint8_t bit = FW_HX_BIT(ch);
		if ((hx->waiting & bit) && !(ready & bit) &&
		    reached(now_us, hx->deadline_us[ch])) {
			hx->waiting &= (uint8_t)~bit;
			if (!(hx->flagged & bit)) {
				hx->flagged |= bit;
				/* First recovery attempt right after the next read
				 * of the healthy chip. */
				hx->retry_us = now_us;
			}
		}
	}
	if (ready && !(hx->waiting & (uint8_t)~ready)) {
		/* Every chip waited for is ready; a flagged chip that happens to
		 * be ready is read too, which is how it comes back.  Not while
		 * one of them may convert during the read: a little later. */
		for (ch = 0; ch < BM_NCHAN; ch++)
			if ((ready & FW_HX_BIT(ch)) && conversion_near(hx, ch, now_us))
				return FW_HX_IDLE;
		*read_mask = ready;
		return FW_HX_READ;
	}
	/* A recovery reset only when there is nothing to read: right after
	 * the healthy chip's reading, so that none of its data is lost. */
	if (hx->flagged && reached(now_us, hx->retry_us))
		return FW_HX_RESET;
	return FW_HX_IDLE;
}

uint8_t fw_hx_pulses(const struct fw_hx *hx)
{
	return hx->gain == 64 ? 27 : 25;
}

int fw_hx_read_done(struct fw_hx *hx, uint32_t t_us, uint8_t read_mask,
                    const uint32_t bits[BM_NCHAN], struct bm_sample_msg *m)
{
	int send = hx->conv_gain == hx->gain;
	uint8_t ch;

	/* The pulses just sent chose the gain of the conversion now running;
	 * every chip clocked has DOUT high until its next word. */
	hx->conv_gain = hx->gain;
	words_unknown(hx, t_us, FW_HX_ALL);
	m->t_us = t_us;
	for (ch = 0; ch < BM_NCHAN; ch++) {
		uint8_t bit = FW_HX_BIT(ch);
		if (read_mask & bit) {
			m->raw[ch] = fw_hx_sign_extend(bits[ch]);
			m->flags[ch] = fw_hx_sat_flags(m->raw[ch]);
			hx->flagged &= (uint8_t)~bit;
			hx->waiting |= bit;
			hx->deadline_us[ch] = t_us + periods(hx, FW_HX_MISS_PERIODS);
			if (send && (hx->reset_mark & bit)) {
				m->flags[ch] |= BM_CH_RESET;
				hx->reset_mark &= (uint8_t)~bit;
			}
		} else {
			m->raw[ch] = 0;
			m->flags[ch] = BM_CH_NOT_READY;
		}
	}
	return send;
}

void fw_hx_reset_done(struct fw_hx *hx, uint32_t now_us)
{
	uint8_t ch;

	for (ch = 0; ch < BM_NCHAN; ch++) {
		uint8_t bit = FW_HX_BIT(ch);
		uint8_t n = (hx->flagged & bit) ? FW_HX_PROBATION_PERIODS
		                                : FW_HX_SETTLE_PERIODS + FW_HX_MISS_PERIODS;
		hx->deadline_us[ch] = now_us + periods(hx, n);
	}
	hx->waiting = FW_HX_ALL;
	hx->reset_mark = FW_HX_ALL;
	words_unknown(hx, now_us, FW_HX_ALL);
	/* A chip comes out of reset at channel A, gain 128. */
	hx->conv_gain = 128;
	hx->retry_us = now_us + (periods(hx, FW_HX_RETRY_MIN_PERIODS) > FW_HX_RETRY_US
	                         ? periods(hx, FW_HX_RETRY_MIN_PERIODS) : FW_HX_RETRY_US);
}

void fw_hx_set_rate(struct fw_hx *hx, uint32_t now_us, uint8_t rate_sps)
{
	uint8_t ch;

	set_period(hx, rate_sps);
	/* The chips restart their conversions now: a word still waiting is
	 * replaced one settling time from now (which the guard's periods
	 * cover), so its "came" time becomes now. */
	for (ch = 0; ch < BM_NCHAN; ch++) {
		hx->high_us[ch] = now_us;
		hx->low_us[ch] = now_us;
		if (hx->waiting & FW_HX_BIT(ch))
			hx->deadline_us[ch] = now_us +
				periods(hx, FW_HX_SETTLE_PERIODS + FW_HX_MISS_PERIODS);
	}
}

void fw_hx_set_gain(struct fw_hx *hx, uint8_t gain)
{
	hx->gain = gain == 64 ? 64 : 128;
}

uint8_t fw_hx_rate_sps(const struct fw_hx *hx)
{
	return hx->rate_sps;
}

uint8_t fw_hx_gain(const struct fw_hx *hx)
{
	return hx->gain;
}

uint8_t fw_hx_flagged(const struct fw_hx *hx)
{
	return hx->flagged;
}

int32_t fw_hx_sign_extend(uint32_t bits)
{
	bits &= 0xFFFFFFUL;
	if (bits & 0x800000UL)
		bits |= 0xFF000000UL;
	return (int32_t)bits;
}

uint8_t fw_hx_sat_flags(int32_t raw)
{
	if (raw == BM_RAW_MAX)
		return BM_CH_SAT_HIGH;
	if (raw == BM_RAW_MIN)
		return BM_CH_SAT_LOW;
	return 0;
}
