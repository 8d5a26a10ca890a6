/* hx711_model.c - datasheet-timed HX711; the idea is in hx711_model.h. */
#include "hx711_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Datasheet timing (HX711 rev 2.0, table "PD_SCK and DOUT timing"). */
#define T1_MIN_S 0.1e-6      /* DOUT falling to first SCK rising */
#define T2_MAX_S 0.1e-6      /* SCK rising to DOUT valid */
#define T3_MIN_S 0.2e-6      /* SCK high */
#define T3_MAX_S 50e-6
#define T4_MIN_S 0.2e-6      /* SCK low */
#define POWER_DOWN_S 60e-6   /* SCK high this long: power down */
#define SETTLE_PERIODS 4.0   /* output settling: 50 ms at 80 SPS */
#define QUIET_S 20e-6        /* a read is over when SCK is quiet this long */

/*
 * A conversion that completes while the previous one is unread (datasheet
 * rev 2.0, "Serial Interface" and Fig. 2).  The datasheet defines DOUT
 * only by "data ready" (low) and "not ready" (high), and requires "PD_SCK
 * clock pulses should not be less than 25 or more than 27 within one
 * conversion period", Fig. 2 drawing the 25..27 pulses between one data
 * ready and the next ("Current Output Data" / "Next Output Data").  It does
 * not say what DOUT does, or which word is shifted out, when a conversion
 * completes before the previous one was read, nor what a read does that
 * is still clocking when the next conversion completes.  The model takes
 * the reading that needs nothing the datasheet does not say:
 *  - unread data is replaced by the new conversion (the data is ready
 *    before and after, so DOUT stays low: no edge the MCU could see);
 *  - a read is only defined when all its pulses, from T1 before the first
 *    rising edge to the last falling edge, fall inside one conversion
 *    period.  A conversion completing inside that window is a violation
 *    (violation_update_in_read), and the model makes the read torn: the
 *    bits still to come are taken from the new word, the 25th pulse
 *    consumes the new data, and the read's record keeps the word it
 *    started on (conv_value) apart from what was shifted out (value), so
 *    a bit-exact comparison against conv_value fails as real data would
 *    be wrong.  Conversions run on the chip's own oscillator and never
 *    wait for a read.
 */

struct hx711_model {
	struct hx711_model_cfg cfg;
	uint64_t rng;
	/* cycles of the timing constants */
	double c_t1, c_t3min, c_t3max, c_t4min, c_pd;
	uint64_t c_t2, c_quiet;

	int sck;
	uint64_t sck_rise, sck_fall, last_edge;
	int dout;
	uint64_t dout_fall;        /* last DOUT high-to-low edge */
	int pend_valid, pend_level;
	uint64_t pend_cycle;
	uint64_t pd_at;            /* power-down event while SCK is high */
	int powered_down;

	int rate80;
	double period;             /* cycles */
	int converting;
	double next_conv;          /* on the conversion grid, cycles */

	int ready;
	uint64_t data_conv_cycle;  /* when the word in the register converted */
	int32_t data;
	uint16_t data_gain, gain_next;

	int pulses, train_ok, too_many, torn;
	uint64_t train_start, train_conv_cycle, train_next_conv;
	int32_t train_value;       /* the word the read started on */
	uint32_t shifted;          /* the bits shifted out so far */
	uint16_t train_gain;

	int stuck, stuck_armed;
	uint64_t stuck_from, stuck_until;

	struct hx711_read *reads;
	size_t nreads, cap;
	struct hx711_stats st;
};

/* xorshift64*: small, fast, good enough for measurement noise. */
static double uniform01(struct hx711_model *m)
{
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return ((m->rng * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

static double gauss(struct hx711_model *m)
{
	double u1 = uniform01(m), u2 = uniform01(m);
	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static void violate(struct hx711_model *m, uint64_t *counter)
{
	(*counter)++;
	if (m->st.first_violation_cycle == 0)
		m->st.first_violation_cycle = m->last_edge ? m->last_edge : 1;
}

static void set_dout(struct hx711_model *m, int level, uint64_t cycle)
{
	if (m->dout == level)
		return;
	m->dout = level;
	if (!level)
		m->dout_fall = cycle;
	if (m->cfg.dout)
		m->cfg.dout(m->cfg.dout_ctx, m->cfg.chip, level, cycle);
}

static void set_period(struct hx711_model *m)
{
	double rate_hz = m->rate80 ? 80.0 : 10.0;
	m->period = m->cfg.cpu_hz / (rate_hz * (1.0 + m->cfg.osc_err));
}

static int32_t make_value(struct hx711_model *m, uint64_t cycle)
{
	double t_s = (double)cycle / m->cfg.cpu_hz;
	double f = m->cfg.force ? m->cfg.force(m->cfg.force_ctx, m->cfg.chip, t_s) : 0.0;
	double n = m->cfg.noise_counts * gauss(m);
	double c;
	switch (m->gain_next) {
	case 64:
		c = (m->cfg.offset_counts + m->cfg.scale_counts_per_n * f + n) / 2.0;
		break;
	case 32:
		/* Channel B has nothing connected: noise around zero. */
		c = n / 4.0;
		break;
	default:
		c = m->cfg.offset_counts + m->cfg.scale_counts_per_n * f + n;
		break;
	}
	c = floor(c + 0.5);
	if (c > 8388607.0)
		c = 8388607.0;
	if (c < -8388608.0)
		c = -8388608.0;
	return (int32_t)c;
}

static void record(struct hx711_model *m)
{
	if (m->nreads == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 1024;
		struct hx711_read *r = realloc(m->reads, cap * sizeof *r);
		if (!r)
			abort();   /* test harness: out of memory is fatal */
		m->reads = r;
		m->cap = cap;
	}
	struct hx711_read *r = &m->reads[m->nreads];
	uint32_t v = m->shifted & 0xFFFFFFu;
	r->start_cycle = m->train_start;
	r->end_cycle = m->sck_fall;
	r->conv_cycle = m->train_conv_cycle;
	r->next_conv_cycle = m->train_next_conv;
	r->value = (int32_t)((v & 0x800000u) ? (v | 0xFF000000u) : v);
	r->conv_value = m->train_value;
	r->conv_gain = m->train_gain;
	r->pulses = (uint8_t)m->pulses;
	r->torn = (uint8_t)m->torn;
	m->nreads++;
	m->st.reads++;
}

/* The clocking of a read is over: its pulse count picks the next gain. */
static void finish_train(struct hx711_model *m)
{
	if (m->train_ok) {
		if (m->pulses >= 25 && m->pulses <= 27 && !m->too_many) {
			m->gain_next = m->pulses == 25 ? 128 : m->pulses == 26 ? 32 : 64;
			record(m);
		} else if (!m->too_many) {
			violate(m, &m->st.violation_pulse_count);
		}
	}
	m->pulses = 0;
	m->train_ok = 0;
	m->too_many = 0;
	m->torn = 0;
}

static void chip_reset(struct hx711_model *m, uint64_t cycle)
{
	m->powered_down = 0;
	m->pulses = 0;
	m->train_ok = 0;
	m->too_many = 0;
	m->torn = 0;
	m->gain_next = 128;
	m->ready = 0;
	m->pend_valid = 0;
	set_dout(m, 1, cycle);
	m->converting = 1;
	/* The chip's own start-up: two chips reset by the same clock edge
	 * start their conversions start_phase of a period apart. */
	m->next_conv = (double)cycle + (SETTLE_PERIODS + m->cfg.start_phase) * m->period;
}

struct hx711_model *hx711_model_new(const struct hx711_model_cfg *cfg, uint64_t now_cycle)
{
	struct hx711_model *m;

	if (!cfg || !(cfg->cpu_hz > 0) || !(cfg->osc_err > -0.5 && cfg->osc_err < 0.5))
		return NULL;
	m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cfg = *cfg;
	m->rng = cfg->seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL;
	if (m->rng == 0)
		m->rng = 1;
	m->c_t1 = T1_MIN_S * cfg->cpu_hz;
	m->c_t2 = (uint64_t)ceil((T2_MAX_S + cfg->reader_sync_s) * cfg->cpu_hz);
	m->c_t3min = T3_MIN_S * cfg->cpu_hz;
	m->c_t3max = T3_MAX_S * cfg->cpu_hz;
	m->c_t4min = T4_MIN_S * cfg->cpu_hz;
	m->c_pd = POWER_DOWN_S * cfg->cpu_hz;
	m->c_quiet = (uint64_t)ceil(QUIET_S * cfg->cpu_hz);
	m->dout = 1;
	m->pd_at = HX711_NEVER;
	m->rate80 = 1;
	set_period(m);
	m->gain_next = 128;
	m->converting = 1;
	m->next_conv = (double)now_cycle + (SETTLE_PERIODS + cfg->start_phase) * m->period;
	m->stuck_from = m->stuck_until = HX711_NEVER;
	return m;
}

void hx711_model_free(struct hx711_model *m)
{
	if (!m)
		return;
	free(m->reads);
	free(m);
}

static uint64_t conv_due(const struct hx711_model *m)
{
	if (!m->converting)
		return HX711_NEVER;
	return (uint64_t)ceil(m->next_conv);
}

uint64_t hx711_model_next_event(const struct hx711_model *m)
{
	uint64_t t = conv_due(m);
	if (m->pend_valid && m->pend_cycle < t)
		t = m->pend_cycle;
	if (m->pd_at < t)
		t = m->pd_at;
	if (m->stuck_armed && m->stuck_from < t)
		t = m->stuck_from;
	return t;
}

static void conversion_done(struct hx711_model *m, uint64_t cycle)
{
	int torn = 0;

	/* A read whose clock has been quiet for a while is over. */
	if ((m->pulses > 0 || m->train_ok) && !m->sck && cycle - m->last_edge >= m->c_quiet)
		finish_train(m);
	if (m->train_ok) {
		if (m->pulses < 25 || m->sck) {
			/* Inside a read (see the top of this file): torn. */
			torn = 1;
		} else {
			/* All 24 bits and the 25th pulse are out: the pulses so far
			 * chose the gain; a 26th or 27th would now start a read of
			 * the new word with the wrong count. */
			finish_train(m);
		}
	} else if (m->pulses > 0) {
		finish_train(m);
	}
	if (torn) {
		if (!m->torn)
			violate(m, &m->st.violation_update_in_read);
		m->torn = 1;
	} else if (m->ready) {
		m->st.overwritten++;
	}
	m->data = make_value(m, cycle);
	m->data_gain = m->gain_next;
	m->data_conv_cycle = cycle;
	m->ready = 1;
	m->st.conversions++;
	if (!torn) {
		m->pend_valid = 0;
		set_dout(m, 0, cycle);
	}
	m->next_conv += m->period;
	while (m->next_conv <= (double)cycle)
		m->next_conv += m->period;
}

void hx711_model_advance(struct hx711_model *m, uint64_t cycle)
{
	for (;;) {
		uint64_t t = hx711_model_next_event(m);
		if (t == HX711_NEVER || t > cycle)
			return;
		if (m->stuck_armed && m->stuck_from == t) {
			/* A read already clocked out stays a read; one the fault
			 * cuts short is lost without blaming the driver. */
			if (m->train_ok && m->pulses >= 25 && !m->sck)
				finish_train(m);
			m->stuck_armed = 0;
			m->stuck = 1;
			m->converting = 0;
			m->ready = 0;
			m->pulses = 0;
			m->train_ok = 0;
			m->pend_valid = 0;
			m->pd_at = HX711_NEVER;
			m->powered_down = 0;
			set_dout(m, 1, t);
		} else if (m->pend_valid && m->pend_cycle == t) {
			m->pend_valid = 0;
			set_dout(m, m->pend_level, t);
		} else if (m->pd_at == t) {
			m->pd_at = HX711_NEVER;
			m->powered_down = 1;
			m->converting = 0;
			m->ready = 0;
			m->pend_valid = 0;
			set_dout(m, 1, t);
		} else {
			conversion_done(m, t);
		}
	}
}

void hx711_model_sck(struct hx711_model *m, int level, uint64_t cycle)
{
	level = level ? 1 : 0;
	hx711_model_advance(m, cycle);
	if (level == m->sck)
		return;
	m->sck = level;
	if (level) {
		/* A rise after a quiet clock starts a new train: the previous
		 * read is over (its pulse count now picks the gain). */
		if ((m->pulses > 0 || m->train_ok) && cycle - m->last_edge >= m->c_quiet)
			finish_train(m);
		m->last_edge = cycle;
		m->sck_rise = cycle;
		if (m->stuck)
			return;
		m->pd_at = cycle + (uint64_t)ceil(m->c_pd);
		if (m->pulses > 0 && (double)(cycle - m->sck_fall) < m->c_t4min)
			violate(m, &m->st.violation_short_pulse);
		if (m->pulses == 0) {
			m->train_ok = m->ready;
			if (m->ready) {
				m->train_start = cycle;
				m->train_conv_cycle = m->data_conv_cycle;
				m->train_next_conv = conv_due(m);
				m->train_value = m->data;
				m->train_gain = m->data_gain;
				m->shifted = 0;
				m->torn = 0;
				if ((double)(cycle - m->dout_fall) < m->c_t1)
					violate(m, &m->st.violation_t1);
				else if ((double)(cycle - m->data_conv_cycle) < m->c_t1) {
					/* The word changed under a low DOUT just before. */
					m->torn = 1;
					violate(m, &m->st.violation_update_in_read);
				}
			}
		}
		if (!m->train_ok)
			return;
		m->pulses++;
		if (m->pulses <= 24) {
			int bit = (int)(((uint32_t)m->data >> (24 - m->pulses)) & 1u);
			m->shifted = (m->shifted << 1) | (uint32_t)bit;
			m->pend_valid = 1;
			m->pend_level = bit;
			m->pend_cycle = cycle + m->c_t2;
		} else if (m->pulses == 25) {
			/* The 25th pulse pulls DOUT high: data consumed. */
			m->ready = 0;
			m->pend_valid = 1;
			m->pend_level = 1;
			m->pend_cycle = cycle + m->c_t2;
		} else if (m->pulses > 27 && !m->too_many) {
			m->too_many = 1;
			violate(m, &m->st.violation_pulse_count);
		}
		return;
	}

	/* falling edge */
	uint64_t high = cycle - m->sck_rise;
	m->last_edge = cycle;
	m->sck_fall = cycle;
	m->pd_at = HX711_NEVER;
	if (m->stuck) {
		if ((double)high > m->c_pd && cycle >= m->stuck_until) {
			m->stuck = 0;
			m->st.power_downs++;
			chip_reset(m, cycle);
		}
		return;
	}
	if (m->powered_down) {
		m->st.power_downs++;
		/* The pulse that powered the chip down may have been counted as
		 * the first of a read; any earlier pulse means a read died. */
		if (m->train_ok && m->pulses > 1)
			violate(m, &m->st.violation_power_down_in_read);
		chip_reset(m, cycle);
		return;
	}
	if ((double)high > m->c_t3max)
		violate(m, &m->st.violation_high_50us);
	if (!m->train_ok) {
		/* Clocked while no data was ready (and not a power-down). */
		violate(m, &m->st.violation_not_ready);
		return;
	}
	if ((double)high < m->c_t3min)
		violate(m, &m->st.violation_short_pulse);
	if (high > m->st.max_read_high_cycles)
		m->st.max_read_high_cycles = high;
}

void hx711_model_rate(struct hx711_model *m, int level, uint64_t cycle)
{
	level = level ? 1 : 0;
	hx711_model_advance(m, cycle);
	if (level == m->rate80)
		return;
	m->rate80 = level;
	set_period(m);
	if (m->converting) {
		m->next_conv = (double)cycle + SETTLE_PERIODS * m->period;
	}
}

int hx711_model_dout(const struct hx711_model *m)
{
	return m->dout;
}

void hx711_model_set_stuck(struct hx711_model *m, uint64_t from_cycle, uint64_t until_cycle)
{
	m->stuck_from = from_cycle;
	m->stuck_until = until_cycle;
	m->stuck_armed = 1;
}

int hx711_model_is_stuck(const struct hx711_model *m)
{
	return m->stuck;
}

void hx711_model_flush(struct hx711_model *m, uint64_t cycle)
{
	hx711_model_advance(m, cycle);
	if (!(m->pulses > 0 || m->train_ok))
		return;
	if (m->sck || cycle - m->last_edge < m->c_quiet) {
		/* Still being clocked when the run stops: the driver has not
		 * finished it, so it is neither a read nor a fault. */
		if (m->pulses < 25)
			return;
	}
	if (!m->sck)
		finish_train(m);
}

size_t hx711_model_reads(const struct hx711_model *m, const struct hx711_read **reads)
{
	*reads = m->reads;
	return m->nreads;
}

void hx711_model_stats(const struct hx711_model *m, struct hx711_stats *out)
{
	*out = m->st;
}

uint64_t hx711_stats_violations(const struct hx711_stats *s)
{
	return s->violation_high_50us + s->violation_short_pulse + s->violation_t1 +
	       s->violation_update_in_read + s->violation_not_ready +
	       s->violation_pulse_count + s->violation_power_down_in_read;
}

const char *hx711_stats_describe(const struct hx711_stats *s, double cpu_hz, char *buf,
                                 size_t len)
{
	snprintf(buf, len,
	         "%llu timing violations, first at %.6f s (>50us high %llu, short %llu, T1 %llu, "
	         "conversion inside a read %llu, not ready %llu, pulse count %llu, power-down in "
	         "read %llu)",
	         (unsigned long long)hx711_stats_violations(s),
	         (double)s->first_violation_cycle / cpu_hz,
	         (unsigned long long)s->violation_high_50us,
	         (unsigned long long)s->violation_short_pulse,
	         (unsigned long long)s->violation_t1,
	         (unsigned long long)s->violation_update_in_read,
	         (unsigned long long)s->violation_not_ready,
	         (unsigned long long)s->violation_pulse_count,
	         (unsigned long long)s->violation_power_down_in_read);
	return buf;
}

double hx711_model_period_cycles(const struct hx711_model *m)
{
	return m->period;
}
