/*
 * test_ports.c - finding the board: the USB ID classifier (a pure function),
 * the `bridgemon ports` line, listing the ports of this machine (whatever
 * they are: the test only asks that it works and is consistent), and the
 * GET_INFO/INFO probe against a fake board on a pty, through both backends.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bm_ports.h"
#include "bm_serial.h"
#include "serial_testlib.h"

Suite *suite_bm_ports(void);

START_TEST(classify_known_bridges)
{
	static const struct { int usb; uint16_t vid, pid; enum bm_port_kind want; const char *chip; } cases[] = {
		{ 1, 0x1a86, 0x7523, BM_PORT_LIKELY_BOARD, "CH340" },
		{ 1, 0x0403, 0x6001, BM_PORT_LIKELY_BOARD, "FTDI FT232R" },
		{ 1, 0x2341, 0x0043, BM_PORT_LIKELY_BOARD, "Arduino" },   /* Uno R3 */
		{ 1, 0x2341, 0x8036, BM_PORT_LIKELY_BOARD, "Arduino" },   /* Leonardo */
		{ 1, 0x2341, 0x0000, BM_PORT_LIKELY_BOARD, "Arduino" },
		{ 1, 0x10c4, 0xea60, BM_PORT_LIKELY_BOARD, "CP210x" },
		{ 1, 0x1a86, 0x5523, BM_PORT_OTHER, NULL },   /* CH341 in another mode */
		{ 1, 0x0403, 0x6015, BM_PORT_OTHER, NULL },   /* FT-X: not in our list */
		{ 1, 0x10c4, 0xea61, BM_PORT_OTHER, NULL },
		{ 1, 0x2342, 0x0043, BM_PORT_OTHER, NULL },
		{ 1, 0x7523, 0x1a86, BM_PORT_OTHER, NULL },   /* swapped */
		{ 0, 0x1a86, 0x7523, BM_PORT_OTHER, NULL },   /* not USB: IDs mean nothing */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *chip = "unset";
		enum bm_port_kind k = bm_ports_classify(cases[i].usb, cases[i].vid, cases[i].pid, &chip);
		ck_assert_msg(k == cases[i].want, "%s%04x:%04x: expected kind %d, got %d",
		              cases[i].usb ? "" : "(not usb) ", cases[i].vid, cases[i].pid, cases[i].want, k);
		if (cases[i].chip)
			ck_assert_msg(chip && strcmp(chip, cases[i].chip) == 0, "%04x:%04x: expected chip %s, got %s",
			              cases[i].vid, cases[i].pid, cases[i].chip, chip ? chip : "NULL");
		else
			ck_assert_msg(chip == NULL, "%04x:%04x: expected no chip name, got %s",
			              cases[i].vid, cases[i].pid, chip);
	}
	ck_assert_msg(bm_ports_classify(1, 0x1a86, 0x7523, NULL) == BM_PORT_LIKELY_BOARD, "chip may be NULL");
}
END_TEST

START_TEST(format_line)
{
	struct bm_port_info usb = {
		.path = "/dev/ttyUSB0", .description = "USB2.0-Serial", .is_usb = 1,
		.usb_vid = 0x1a86, .usb_pid = 0x7523, .kind = BM_PORT_LIKELY_BOARD, .chip = "CH340",
	};
	struct bm_port_info plain = { .path = "/dev/ttyS0", .description = "ttyS0", .kind = BM_PORT_OTHER };
	char buf[160];
	size_t n;

	n = bm_ports_format(&usb, buf, sizeof buf);
	ck_assert_msg(n == strlen(buf), "length %zu should match the text's %zu", n, strlen(buf));
	ck_assert_msg(strncmp(buf, "/dev/ttyUSB0", 12) == 0 && strstr(buf, "1a86:7523") &&
	              strstr(buf, "USB2.0-Serial") && strstr(buf, "likely a bridgemon board (CH340)"),
	              "USB line: got \"%s\"", buf);
	bm_ports_format(&plain, buf, sizeof buf);
	ck_assert_msg(strstr(buf, "/dev/ttyS0") && strstr(buf, " - ") && strstr(buf, "other") &&
	              !strstr(buf, "likely"), "plain line: got \"%s\"", buf);
}
END_TEST

START_TEST(list_this_machine)
{
	struct bm_port_list *l = NULL;
	int r = bm_ports_list(&l);

	ck_assert_msg(r == BM_SERIAL_OK, "listing ports: expected OK, got %d (%s)", r, strerror(errno));
	ck_assert(l != NULL);
	printf("bm_ports_list: %zu port(s) on this machine\n", l->count);
	for (size_t i = 0; i < l->count; i++) {
		const struct bm_port_info *p = &l->ports[i];
		char line[200];
		ck_assert_msg(strncmp(p->path, "/dev/", 5) == 0, "port path should be under /dev, got %s", p->path);
		ck_assert_msg(p->description != NULL, "%s: description should never be NULL", p->path);
		ck_assert_msg(p->kind == bm_ports_classify(p->is_usb, p->usb_vid, p->usb_pid, NULL),
		              "%s: kind does not match its IDs", p->path);
		if (i > 0)
			ck_assert_msg(!(p->kind == BM_PORT_LIKELY_BOARD && l->ports[i - 1].kind == BM_PORT_OTHER),
			              "likely boards should be listed first (%s after %s)", p->path,
			              l->ports[i - 1].path);
		bm_ports_format(p, line, sizeof line);
		printf("  %s\n", line);
	}
	bm_ports_list_free(l);
	bm_ports_list_free(NULL);
}
END_TEST

/* A fake board on a pty; index 0/1 of the loop tests picks the backend the
 * host side uses. */
static const enum bm_serial_backend backends[2] = { BM_SERIAL_LIBSERIALPORT, BM_SERIAL_TERMIOS };

static void board_up(struct tl_pty *t, struct tl_board *b, int answer, unsigned ignore, uint8_t ver)
{
	ck_assert(tl_pty_open(t) == 0);
	memset(b, 0, sizeof *b);
	b->master = t->master;
	b->proto_version = ver;
	b->answer = answer;
	b->ignore_get_info = ignore;
	b->stream = 1;
	b->board_id = 0xB0A4D001u;
	ck_assert(tl_board_start(b) == 0);
}

static int probe_through(const char *path, int i, unsigned timeout_ms, struct bm_info_msg *info,
                         char *msg, size_t cap)
{
	struct bm_serial *p = NULL;
	int r = bm_serial_open_backend(path, BM_BAUD, backends[i], &p);
	ck_assert_msg(r == BM_SERIAL_OK, "open %s: got %d", path, r);
	r = bm_ports_get_info(p, timeout_ms, info, msg, cap);
	bm_serial_close(p);
	return r;
}

START_TEST(probe_finds_board)
{
	struct tl_pty t;
	struct tl_board b;
	struct bm_info_msg info;
	char msg[200];
	int r;

	/* The board drops the first two GET_INFOs, as a bootloader would:
	 * the probe must ask again. */
	board_up(&t, &b, 1, 2, BM_PROTO_VERSION);
	r = probe_through(t.path, _i, 3000, &info, msg, sizeof msg);
	tl_board_stop(&b);
	ck_assert_msg(r == BM_SERIAL_OK, "probe: expected OK, got %d (%s)", r, msg);
	ck_assert_msg(atomic_load(&b.get_info_seen) >= 3, "expected at least 3 GET_INFO, board saw %u",
	              atomic_load(&b.get_info_seen));
	ck_assert_msg(info.board_id == 0xB0A4D001u && info.fw_major == 1 && info.fw_minor == 2 &&
	              info.fw_patch == 3 && info.rate_sps == 80 && info.proto_version == BM_PROTO_VERSION,
	              "INFO fields: got board %08lx fw %u.%u.%u rate %u proto %u",
	              (unsigned long)info.board_id, info.fw_major, info.fw_minor, info.fw_patch,
	              info.rate_sps, info.proto_version);
	ck_assert_msg(strstr(msg, "bridgemon board b0a4d001"), "message: got \"%s\"", msg);
	tl_pty_close(&t);
}
END_TEST

START_TEST(probe_version_mismatch)
{
	struct tl_pty t;
	struct tl_board b;
	struct bm_info_msg info;
	char msg[200], want[64];
	int r;

	board_up(&t, &b, 1, 0, BM_PROTO_VERSION + 1);
	r = probe_through(t.path, _i, 3000, &info, msg, sizeof msg);
	tl_board_stop(&b);
	ck_assert_msg(r == BM_SERIAL_ERR_VERSION, "expected VERSION (%d), got %d (%s)", BM_SERIAL_ERR_VERSION, r, msg);
	ck_assert_msg(info.proto_version == BM_PROTO_VERSION + 1, "INFO should still be handed back");
	snprintf(want, sizeof want, "protocol version %d", BM_PROTO_VERSION + 1);
	ck_assert_msg(strstr(msg, want) && strchr(msg, '\n') == NULL, "message should name version %d: \"%s\"",
	              BM_PROTO_VERSION + 1, msg);
	tl_pty_close(&t);
}
END_TEST

START_TEST(probe_timeouts)
{
	struct tl_pty t;
	struct tl_board b;
	struct bm_info_msg info;
	char msg[200];
	int r;

	/* Streams samples but never answers: "old firmware?". */
	board_up(&t, &b, 0, 0, BM_PROTO_VERSION);
	r = probe_through(t.path, _i, 400, &info, msg, sizeof msg);
	tl_board_stop(&b);
	ck_assert_msg(r == BM_SERIAL_ERR_TIMEOUT, "silent board: expected TIMEOUT, got %d", r);
	ck_assert_msg(strstr(msg, "sends bridgemon frames but did not answer"), "message: \"%s\"", msg);
	ck_assert_msg(info.board_id == 0 && info.proto_version == 0, "INFO should be zeroed on timeout");
	tl_pty_close(&t);

	/* Nothing at all on the other end. */
	ck_assert(tl_pty_open(&t) == 0);
	r = probe_through(t.path, _i, 300, &info, msg, sizeof msg);
	ck_assert_msg(r == BM_SERIAL_ERR_TIMEOUT, "nothing there: expected TIMEOUT, got %d", r);
	ck_assert_msg(strstr(msg, "no INFO from") && strstr(msg, "not a bridgemon board"), "message: \"%s\"", msg);
	tl_pty_close(&t);
}
END_TEST

START_TEST(probe_by_path)
{
	struct tl_pty t;
	struct tl_board b;
	struct bm_info_msg info;
	char msg[200];
	int r;

	/* bm_ports_probe opens by itself (automatic backend: termios for a
	 * pty) ... */
	board_up(&t, &b, 1, 0, BM_PROTO_VERSION);
	r = bm_ports_probe(t.path, 3000, &info, msg, sizeof msg);
	tl_board_stop(&b);
	ck_assert_msg(r == BM_SERIAL_OK && info.board_id == 0xB0A4D001u, "probe by path: got %d (%s)", r, msg);
	tl_pty_close(&t);
	/* ... and passes open errors on with their text. */
	r = bm_ports_probe("/dev/ttyBRIDGEMON-none", 100, &info, msg, sizeof msg);
	ck_assert_msg(r == BM_SERIAL_ERR_NOT_FOUND && strstr(msg, "no device at /dev/ttyBRIDGEMON-none"),
	              "missing port: got %d (%s)", r, msg);
}
END_TEST

Suite *suite_bm_ports(void)
{
	Suite *s = suite_create("bm_ports");
	TCase *pure = tcase_create("pure");
	TCase *sys = tcase_create("system");
	TCase *probe = tcase_create("probe");

	tcase_add_test(pure, classify_known_bridges);
	tcase_add_test(pure, format_line);
	suite_add_tcase(s, pure);

	tcase_add_test(sys, list_this_machine);
	tcase_set_timeout(sys, 20);
	suite_add_tcase(s, sys);

	tcase_add_loop_test(probe, probe_finds_board, 0, 2);
	tcase_add_loop_test(probe, probe_version_mismatch, 0, 2);
	tcase_add_loop_test(probe, probe_timeouts, 0, 2);
	tcase_add_test(probe, probe_by_path);
	tcase_set_timeout(probe, 20);
	suite_add_tcase(s, probe);
	return s;
}
