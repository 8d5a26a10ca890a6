/*
 * bm_ports.c - port listing, USB ID classification and the INFO probe; the
 * idea is in bm_ports.h.  libserialport is used here only to list ports and
 * read their USB details; opening and talking go through bm_serial.
 */
#include "bm_ports.h"

#include <errno.h>
#include <libserialport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bm_decoder.h"
#include "bm_msg.h"
#include "bm_serial_priv.h"

/* Known bridges, in the order auto-detect should try them.  pid_any: every
 * product of that vendor (Arduino's own boards each have their own PID). */
static const struct {
	uint16_t vid, pid;
	int pid_any;
	const char *chip;
} known_bridges[] = {
	{ 0x2341, 0x0000, 1, "Arduino" },
	{ 0x1a86, 0x7523, 0, "CH340" },
	{ 0x0403, 0x6001, 0, "FTDI FT232R" },
	{ 0x10c4, 0xea60, 0, "CP210x" },
};
#define N_KNOWN (sizeof known_bridges / sizeof known_bridges[0])

/* Position in known_bridges, or N_KNOWN for anything else. */
static size_t bridge_rank(int is_usb, uint16_t vid, uint16_t pid)
{
	if (!is_usb)
		return N_KNOWN;
	for (size_t i = 0; i < N_KNOWN; i++)
		if (known_bridges[i].vid == vid && (known_bridges[i].pid_any || known_bridges[i].pid == pid))
			return i;
	return N_KNOWN;
}

enum bm_port_kind bm_ports_classify(int is_usb, uint16_t vid, uint16_t pid, const char **chip)
{
	size_t i = bridge_rank(is_usb, vid, pid);
	if (chip)
		*chip = i < N_KNOWN ? known_bridges[i].chip : NULL;
	return i < N_KNOWN ? BM_PORT_LIKELY_BOARD : BM_PORT_OTHER;
}

size_t bm_ports_format(const struct bm_port_info *port, char *buf, size_t cap)
{
	char ids[16] = "-";
	char verdict[64] = "other";
	int n;

	if (port->is_usb)
		snprintf(ids, sizeof ids, "%04x:%04x", port->usb_vid, port->usb_pid);
	if (port->kind == BM_PORT_LIKELY_BOARD)
		snprintf(verdict, sizeof verdict, "likely a bridgemon board (%s)",
		         port->chip ? port->chip : "known USB-serial bridge");
	n = snprintf(buf, cap, "%-14s %-9s  %-26s %s", port->path, ids,
	             port->description, verdict);
	return n < 0 ? 0 : (size_t)n;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int cmp_ports(const void *a, const void *b)
{
	const struct bm_port_info *x = a, *y = b;
	size_t rx = bridge_rank(x->is_usb, x->usb_vid, x->usb_pid);
	size_t ry = bridge_rank(y->is_usb, y->usb_vid, y->usb_pid);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x->path, y->path);
}

void bm_ports_list_free(struct bm_port_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++) {
		free(list->ports[i].path);
		free(list->ports[i].description);
		free(list->ports[i].usb_serial);
	}
	free(list->ports);
	free(list);
}

int bm_ports_list(struct bm_port_list **out)
{
	struct sp_port **sp = NULL;
	struct bm_port_list *list;
	enum sp_return r;
	size_t n = 0;

	*out = NULL;
	r = sp_list_ports(&sp);
	if (r != SP_OK) {
		int code = bm_serial_from_sp(r, BM_SERIAL_OP_OPEN);
		/* ARG here is libserialport's own trouble, not the caller's. */
		return code == BM_SERIAL_ERR_ARG || code == BM_SERIAL_ERR_NOT_FOUND ? BM_SERIAL_ERR_IO : code;
	}
	while (sp[n])
		n++;
	list = calloc(1, sizeof *list);
	if (!list || (n > 0 && !(list->ports = calloc(n, sizeof *list->ports)))) {
		free(list);
		sp_free_port_list(sp);
		errno = ENOMEM;
		return BM_SERIAL_ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct bm_port_info *p = &list->ports[i];
		int vid = 0, pid = 0;

		list->count = i + 1;    /* so that a failure frees what was made */
		p->path = dup_or_empty(sp_get_port_name(sp[i]));
		p->description = dup_or_empty(sp_get_port_description(sp[i]));
		if (sp_get_port_transport(sp[i]) == SP_TRANSPORT_USB &&
		    sp_get_port_usb_vid_pid(sp[i], &vid, &pid) == SP_OK) {
			const char *serial = sp_get_port_usb_serial(sp[i]);
			p->is_usb = 1;
			p->usb_vid = (uint16_t)vid;
			p->usb_pid = (uint16_t)pid;
			if (serial && !(p->usb_serial = strdup(serial))) {
				bm_ports_list_free(list);
				sp_free_port_list(sp);
				errno = ENOMEM;
				return BM_SERIAL_ERR_NOMEM;
			}
		}
		if (!p->path || !p->description) {
			bm_ports_list_free(list);
			sp_free_port_list(sp);
			errno = ENOMEM;
			return BM_SERIAL_ERR_NOMEM;
		}
		p->kind = bm_ports_classify(p->is_usb, p->usb_vid, p->usb_pid, &p->chip);
	}
	sp_free_port_list(sp);
	if (list->count > 1)
		qsort(list->ports, list->count, sizeof *list->ports, cmp_ports);
	*out = list;
	return BM_SERIAL_OK;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* snprintf into an optional buffer. */
#define SAY(msg, cap, ...) do { if (msg && cap) snprintf(msg, cap, __VA_ARGS__); } while (0)

int bm_ports_get_info(struct bm_serial *port, unsigned timeout_ms,
                      struct bm_info_msg *info, char *msg, size_t msg_cap)
{
	uint8_t cmd[1 + BM_FRAME_MAX], body[1] = { BM_PORTS_PROBE_TAG };
	uint8_t buf[256];
	struct bm_decoder *dec;
	struct bm_decoder_stats st;
	uint64_t t0 = now_ms(), next_send = t0;
	size_t cmd_len;

	memset(info, 0, sizeof *info);
	/* A delimiter first: whatever the board's receiver holds (noise, half
	 * a command) ends there, and our frame starts clean. */
	cmd[0] = BM_FRAME_DELIM;
	cmd_len = 1 + bm_frame_build(BM_CMD_GET_INFO, body, sizeof body, cmd + 1, sizeof cmd - 1);
	dec = bm_decoder_new();
	if (!dec) {
		SAY(msg, msg_cap, "out of memory while probing %s", bm_serial_path(port));
		return BM_SERIAL_ERR_NOMEM;
	}
	for (;;) {
		uint64_t t = now_ms();
		struct bm_decoded m;
		const uint8_t *p = buf;
		size_t left;
		unsigned wait;
		long n;

		if (t - t0 >= timeout_ms)
			break;
		if (t >= next_send) {
			long w = bm_serial_write(port, cmd, cmd_len, 100);
			if (w < 0) {
				SAY(msg, msg_cap, "%s", bm_serial_last_error(port));
				bm_decoder_free(dec);
				return (int)w;
			}
			next_send = t + BM_PORTS_PROBE_RESEND_MS;
		}
		wait = (unsigned)(next_send - t);
		if (t0 + timeout_ms - t < wait)
			wait = (unsigned)(t0 + timeout_ms - t);
		n = bm_serial_read(port, buf, sizeof buf, wait);
		if (n < 0) {
			SAY(msg, msg_cap, "%s", bm_serial_last_error(port));
			bm_decoder_free(dec);
			return (int)n;
		}
		left = (size_t)n;
		while (bm_decoder_next(dec, &p, &left, &m)) {
			if (m.type != BM_MSG_INFO)
				continue;
			*info = m.u.info;
			bm_decoder_free(dec);
			if (info->proto_version != BM_PROTO_VERSION) {
				SAY(msg, msg_cap, "%s: the board speaks protocol version %u, this "
				    "bridgemon speaks version %u: update the %s", bm_serial_path(port),
				    info->proto_version, BM_PROTO_VERSION,
				    info->proto_version > BM_PROTO_VERSION ? "bridgemon program" : "board's firmware");
				return BM_SERIAL_ERR_VERSION;
			}
			SAY(msg, msg_cap, "%s: bridgemon board %08lx, firmware %u.%u.%u, %u SPS",
			    bm_serial_path(port), (unsigned long)info->board_id, info->fw_major,
			    info->fw_minor, info->fw_patch, info->rate_sps);
			return BM_SERIAL_OK;
		}
	}
	bm_decoder_get_stats(dec, &st);
	bm_decoder_free(dec);
	if (st.frames_ok > 0)
		SAY(msg, msg_cap, "%s sends bridgemon frames but did not answer GET_INFO "
		    "within %u ms (old firmware?)", bm_serial_path(port), timeout_ms);
	else
		SAY(msg, msg_cap, "no INFO from %s within %u ms: not a bridgemon board, "
		    "or it is still starting", bm_serial_path(port), timeout_ms);
	return BM_SERIAL_ERR_TIMEOUT;
}

int bm_ports_probe(const char *path, unsigned timeout_ms,
                   struct bm_info_msg *info, char *msg, size_t msg_cap)
{
	struct bm_serial *port = NULL;
	int r;

	memset(info, 0, sizeof *info);
	r = bm_serial_open(path, BM_BAUD, &port);
	if (r != BM_SERIAL_OK) {
		int e = errno;
		if (msg && msg_cap)
			bm_serial_describe(r, e, path, msg, msg_cap);
		return r;
	}
	r = bm_ports_get_info(port, timeout_ms, info, msg, msg_cap);
	bm_serial_close(port);
	return r;
}

int bm_ports_find_board(char *path_out, size_t len, FILE *log)
{
	struct bm_port_list *pl = NULL;
	int found = -1;
	if (bm_ports_list(&pl) != BM_SERIAL_OK)
		return -1;
	for (size_t i = 0; i < pl->count && found != 0; i++) {
		struct bm_info_msg info;
		char pm[300];
		if (pl->ports[i].kind != BM_PORT_LIKELY_BOARD)
			continue;
		if (log)
			fprintf(log, "bridgemon: asking %s for a bridgemon board...\n", pl->ports[i].path);
		if (bm_ports_probe(pl->ports[i].path, BM_PORTS_PROBE_TIMEOUT_MS, &info, pm, sizeof pm) ==
		    BM_SERIAL_OK) {
			snprintf(path_out, len, "%s", pl->ports[i].path);
			found = 0;
		} else if (log) {
			fprintf(log, "bridgemon: %s\n", pm);
		}
	}
	bm_ports_list_free(pl);
	return found;
}
