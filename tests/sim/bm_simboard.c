/*
 * bm_simboard.c - "a board" without a board: the bridgemon firmware running
 * in simavr with two simulated HX711s (sim_board.h), either
 *  - on a pseudo-terminal, in real time, for the host program:
 *        bm-simboard --pty          (prints "bm-simboard: port /dev/pts/N")
 *        bridgemon --port /dev/pts/N
 *    opening the port resets the board, as the DTR line resets an Arduino;
 *  - or as fast as it goes for a number of simulated seconds, with the
 *    output decoded by the host's decoder and a report of the figures the
 *    README quotes (--report).
 * The loads on the cells come from a built-in routine, a session CSV
 * (--profile) or the simulated athlete (--sim SEED).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "force_profile.h"
#include "pty_bridge.h"
#include "sim_board.h"
#include "sim_capture.h"

#ifndef BM_SIMBOARD_ELF
#define BM_SIMBOARD_ELF "bridgemon-fw.elf"
#endif

static volatile sig_atomic_t s_stop;

static void on_signal(int sig)
{
	(void)sig;
	s_stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
	"Usage: bm-simboard [OPTIONS]\n"
	"Run the bridgemon firmware in simavr (ATmega328P, 16 MHz) with two\n"
	"simulated HX711 load-cell ADCs.\n"
	"\n"
	"  --pty               expose the board's serial port on a pseudo-terminal,\n"
	"                      print its path and run in real time until stopped\n"
	"  --seconds S         stop after S simulated seconds (default 10; with\n"
	"                      --pty: run until Ctrl-C)\n"
	"  --fast              with --pty: do not throttle to real time\n"
	"  --no-reset-on-open  with --pty: do not reset the board when a program\n"
	"                      opens the port (an Arduino does, through DTR)\n"
	"  --report            decode the output with the host decoder and print\n"
	"                      rates, drops, bit-exact check, timing figures\n"
	"  --profile FILE      loads from a session CSV (t_s, left_n, right_n)\n"
	"  --sim SEED          loads from the simulated athlete\n"
	"  --osc-l PCT         left chip's oscillator error in %% (default 0.8)\n"
	"  --osc-r PCT         right chip's oscillator error in %% (default -0.7)\n"
	"  --stuck-l A:B       left chip holds DOUT high from A s until the first\n"
	"                      power cycle after B s (--stuck-r: right chip)\n"
	"  --eeprom FILE       load the EEPROM from FILE if it exists, save it at exit\n"
	"  --elf FILE          firmware (default %s)\n"
	"  --seed N            noise seed (default 1)\n"
	"  --verbose           simavr's own log on stderr\n"
	"  -h, --help          this text\n", BM_SIMBOARD_ELF);
}

/* Bytes from the board in --pty mode, handed to the pty after each slice. */
struct outbuf {
	uint8_t data[65536];
	size_t n;
};

static void collect(void *ctx, uint8_t byte, uint64_t cycle)
{
	struct outbuf *o = ctx;
	(void)cycle;
	if (o->n < sizeof o->data)
		o->data[o->n++] = byte;
}

static int parse_stuck(const char *arg, double *a, double *b)
{
	char *end;
	*a = strtod(arg, &end);
	if (*end != ':')
		return -1;
	*b = strtod(end + 1, &end);
	return *end == 0 && *b >= *a && *a >= 0 ? 0 : -1;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void print_report(struct simboard *sb, struct sim_capture *cap, double warmup_s)
{
	struct bm_decoder_stats ds;
	struct simboard_perf perf;
	double hz = simboard_cpu_hz(sb);
	uint64_t now = simboard_cycle(sb);
	uint64_t from = (uint64_t)(warmup_s * hz);

	simboard_flush(sb);
	sim_capture_stats(cap, &ds);
	simboard_get_perf(sb, &perf);
	printf("simulated %.1f s in %.2f s wall: %.2f simulated s per wall s\n",
	       perf.sim_s, perf.wall_s, perf.wall_s > 0 ? perf.sim_s / perf.wall_s : 0.0);
	printf("decoder: %" PRIu64 " frames ok, %" PRIu64 " samples, %" PRIu64 " dropped, "
	       "%" PRIu64 " CRC errors, %" PRIu64 " framing errors, %" PRIu64 " restarts; "
	       "%zu INFO\n", ds.frames_ok, ds.samples, ds.dropped_samples, ds.crc_errors,
	       ds.framing_errors, ds.seq_restarts, cap->ninfos);
	for (int ch = 0; ch < 2; ch++) {
		const struct hx711_read *reads;
		struct hx711_stats st;
		struct sim_match m;
		size_t n, nr = hx711_model_reads(simboard_chip(sb, ch), &reads);
		uint64_t cmin = UINT64_MAX, cmax = 0;
		double csum = 0;
		double rate = sim_capture_rate_hz(cap, ch, from, now, &n);
		double chip_rate = hz / hx711_model_period_cycles(simboard_chip(sb, ch));

		hx711_model_stats(simboard_chip(sb, ch), &st);
		sim_match_channel(cap, simboard_chip(sb, ch), ch, hz, 0, now, &m);
		for (size_t i = 0; i < nr; i++) {
			uint64_t c = reads[i].end_cycle - reads[i].start_cycle;
			cmin = c < cmin ? c : cmin;
			cmax = c > cmax ? c : cmax;
			csum += (double)c;
		}
		printf("%s: %zu samples after %.1f s at %.3f SPS (chip converts at %.3f SPS); "
		       "bit-exact %zu of %zu reads (%zu skipped by design), frame/read lag "
		       "spread %.1f us\n",
		       ch ? "right" : "left ", n, warmup_s, rate, chip_rate, m.matched, m.reads,
		       m.skipped, m.lag_max_us - m.lag_min_us);
		printf("       chip: %" PRIu64 " conversions, %" PRIu64 " reads, %" PRIu64
		       " overwritten, %" PRIu64 " torn, %" PRIu64 " power cycles, "
		       "%" PRIu64 " timing violations\n", st.conversions, st.reads, st.overwritten,
		       st.violation_update_in_read, st.power_downs, hx711_stats_violations(&st));
		if (nr)
			printf("       read: %.0f cycles mean (%" PRIu64 "..%" PRIu64 ") = %.1f us, "
			       "longest SCK high in a read %" PRIu64 " cycles = %.2f us\n",
			       csum / (double)nr, cmin, cmax, csum / (double)nr / hz * 1e6,
			       st.max_read_high_cycles, (double)st.max_read_high_cycles / hz * 1e6);
	}
	printf("longest interrupts-off stretch: %" PRIu64 " cycles = %.2f us (at cycle %" PRIu64
	       ", PC 0x%04x)\n", perf.irq_off_max_cycles, (double)perf.irq_off_max_cycles / hz * 1e6,
	       perf.irq_off_max_at, (unsigned)perf.irq_off_max_pc);
	printf("watchdog %s; UART %" PRIu64 " bytes out, %" PRIu64 " in\n",
	       simboard_watchdog_on(sb) ? "on" : "OFF", perf.uart_out_bytes, perf.uart_in_bytes);
}

int main(int argc, char **argv)
{
	enum { O_PTY = 256, O_SECONDS, O_FAST, O_NORESET, O_REPORT, O_PROFILE, O_SIM, O_OSCL,
	       O_OSCR, O_STUCKL, O_STUCKR, O_EEPROM, O_ELF, O_SEED, O_VERBOSE };
	static const struct option opts[] = {
		{"pty", no_argument, NULL, O_PTY},
		{"seconds", required_argument, NULL, O_SECONDS},
		{"fast", no_argument, NULL, O_FAST},
		{"no-reset-on-open", no_argument, NULL, O_NORESET},
		{"report", no_argument, NULL, O_REPORT},
		{"profile", required_argument, NULL, O_PROFILE},
		{"sim", required_argument, NULL, O_SIM},
		{"osc-l", required_argument, NULL, O_OSCL},
		{"osc-r", required_argument, NULL, O_OSCR},
		{"stuck-l", required_argument, NULL, O_STUCKL},
		{"stuck-r", required_argument, NULL, O_STUCKR},
		{"eeprom", required_argument, NULL, O_EEPROM},
		{"elf", required_argument, NULL, O_ELF},
		{"seed", required_argument, NULL, O_SEED},
		{"verbose", no_argument, NULL, O_VERBOSE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct simboard_cfg cfg;
	int use_pty = 0, fast = 0, reset_on_open = 1, report = 0, opt;
	double seconds = -1, stuck[2][2] = {{-1, -1}, {-1, -1}};
	const char *profile_path = NULL, *eeprom_path = NULL, *elf = BM_SIMBOARD_ELF;
	long long sim_seed = -1;
	char err[512];
	uint8_t eeprom[1024];
	size_t eeprom_len = 0;
	struct force_profile *fp;
	struct simboard *sb;
	int rc = 0;

	simboard_cfg_default(&cfg, elf);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case O_PTY: use_pty = 1; break;
		case O_SECONDS: seconds = atof(optarg); break;
		case O_FAST: fast = 1; break;
		case O_NORESET: reset_on_open = 0; break;
		case O_REPORT: report = 1; break;
		case O_PROFILE: profile_path = optarg; break;
		case O_SIM: sim_seed = atoll(optarg); break;
		case O_OSCL: cfg.chip[0].osc_err = atof(optarg) / 100.0; break;
		case O_OSCR: cfg.chip[1].osc_err = atof(optarg) / 100.0; break;
		case O_STUCKL:
		case O_STUCKR:
			if (parse_stuck(optarg, &stuck[opt == O_STUCKR][0], &stuck[opt == O_STUCKR][1])) {
				fprintf(stderr, "bm-simboard: --stuck-%c wants A:B seconds, got '%s'\n",
				        opt == O_STUCKR ? 'r' : 'l', optarg);
				return 1;
			}
			break;
		case O_EEPROM: eeprom_path = optarg; break;
		case O_ELF: elf = optarg; break;
		case O_SEED: cfg.seed = strtoull(optarg, NULL, 10); break;
		case O_VERBOSE: cfg.verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bm-simboard: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 1;
	}
	if (profile_path && sim_seed >= 0) {
		fprintf(stderr, "bm-simboard: --profile and --sim exclude each other\n");
		return 1;
	}
	if (seconds < 0)
		seconds = use_pty ? 0 : 10;
	cfg.elf_path = elf;

	if (profile_path)
		fp = force_profile_csv(profile_path, err, sizeof err);
	else if (sim_seed >= 0)
		fp = force_profile_sim((uint64_t)sim_seed, err, sizeof err);
	else
		fp = force_profile_synthetic();
	if (!fp) {
		fprintf(stderr, "bm-simboard: %s\n", profile_path || sim_seed >= 0 ? err : "out of memory");
		return 2;
	}
	cfg.force = force_profile_at;
	cfg.force_ctx = fp;

	if (eeprom_path) {
		FILE *f = fopen(eeprom_path, "rb");
		if (f) {
			eeprom_len = fread(eeprom, 1, sizeof eeprom, f);
			fclose(f);
			cfg.eeprom = eeprom;
			cfg.eeprom_len = eeprom_len;
		} else if (errno != ENOENT) {
			fprintf(stderr, "bm-simboard: cannot read %s: %s\n", eeprom_path, strerror(errno));
			force_profile_free(fp);
			return 2;
		}
	}

	sb = simboard_new(&cfg, err, sizeof err);
	if (!sb) {
		fprintf(stderr, "bm-simboard: %s\n", err);
		force_profile_free(fp);
		return 2;
	}
	for (int ch = 0; ch < 2; ch++)
		if (stuck[ch][0] >= 0)
			hx711_model_set_stuck(simboard_chip(sb, ch),
			                      (uint64_t)(stuck[ch][0] * simboard_cpu_hz(sb)),
			                      (uint64_t)(stuck[ch][1] * simboard_cpu_hz(sb)));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	if (use_pty) {
		static struct outbuf out;
		char path[128];
		struct pty_bridge *pty = pty_bridge_open(path, sizeof path);
		double t0 = now_s();
		if (!pty) {
			fprintf(stderr, "bm-simboard: cannot open a pseudo-terminal: %s\n", strerror(errno));
			simboard_free(sb);
			force_profile_free(fp);
			return 2;
		}
		printf("bm-simboard: port %s\n", path);
		printf("bm-simboard: try  bridgemon --port %s   (Ctrl-C stops the board)\n", path);
		fflush(stdout);
		simboard_on_uart(sb, collect, &out);
		while (!s_stop && (seconds <= 0 || simboard_time_s(sb) < seconds)) {
			uint8_t in[512];
			size_t n;
			/* 1 ms slices: the latency a USB-serial chip adds anyway. */
			if (simboard_run_s(sb, 0.001) != SIMBOARD_OK) {
				fprintf(stderr, "bm-simboard: the AVR crashed at %.3f s\n", simboard_time_s(sb));
				rc = 3;
				break;
			}
			if (pty_bridge_poll_open(pty) && reset_on_open) {
				simboard_reset(sb);
				out.n = 0;
			}
			pty_bridge_write(pty, out.data, out.n);
			out.n = 0;
			while ((n = pty_bridge_read(pty, in, sizeof in)) > 0)
				simboard_send(sb, in, n);
			if (!fast) {
				double ahead = simboard_time_s(sb) - (now_s() - t0);
				if (ahead > 0.002) {
					struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(ahead * 1e9)};
					nanosleep(&ts, NULL);
				}
			}
		}
		pty_bridge_close(pty);
	} else {
		struct sim_capture *cap = sim_capture_new();
		if (!cap) {
			fprintf(stderr, "bm-simboard: out of memory\n");
			rc = 2;
		} else {
			simboard_on_uart(sb, sim_capture_byte, cap);
			while (!s_stop && simboard_time_s(sb) < seconds)
				if (simboard_run_s(sb, 0.1) != SIMBOARD_OK) {
					fprintf(stderr, "bm-simboard: the AVR crashed at %.3f s\n",
					        simboard_time_s(sb));
					rc = 3;
					break;
				}
			if (report)
				print_report(sb, cap, seconds > 4 ? 2.0 : 0.0);
			sim_capture_free(cap);
		}
	}

	if (eeprom_path) {
		FILE *f = fopen(eeprom_path, "wb");
		size_t n = simboard_eeprom_read(sb, eeprom, sizeof eeprom);
		if (!f || fwrite(eeprom, 1, n, f) != n) {
			fprintf(stderr, "bm-simboard: cannot save EEPROM to %s\n", eeprom_path);
			rc = rc ? rc : 2;
		}
		if (f)
			fclose(f);
	}
	simboard_free(sb);
	force_profile_free(fp);
	return rc;
}
