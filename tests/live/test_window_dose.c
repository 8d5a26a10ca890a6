/*
 * test_window_dose.c - an athlete's session in the real window, under a
 * virtual X display, driven with keys the way a person would: the pain
 * questions typed in, the dose shown, the athlete picker.
 *
 *   test_window_dose BRIDGEMON XVFB_RUN OUTDIR
 *   test_window_dose --keys "SPEC"      (inside the display: send keys)
 *
 * A scratch store holds Ann's session of yesterday (100 s left, 90 s
 * right) and Bo.  First run, `replay --athlete Ann`: the morning question
 * about yesterday (3), pain now (11 is refused; then 2), space records the
 * session's hold, space stops, pain after (4), q.  Checked: the store's
 * three pain entries (the morning one keyed to yesterday's session), the
 * pain log's morning line, the recording's sidecar (2 before, 4 after,
 * closed), the dose line ("today" = the recording's summary per leg, 7
 * days = that plus yesterday's, two days in a row) and the dose in the
 * screenshot's daily row.  Second run, no athlete: a, Down, Enter picks Bo;
 * a recording started behind the question "pain now", answered during it
 * (into its sidecar at once), is Bo's; a is refused while recording; a, a
 * new name typed, Enter creates "cy"; q asks pain after, q again quits.
 * Third run, `replay --athlete Dee`, pain now left unanswered: the window's
 * close button during a recording stops it and asks pain after; pain now
 * answered then (2) is about the closed recording too, pain after 5;
 * closing again quits.
 *
 * Keys are X events sent to the window (XSendEvent: libX11 only, no XTest),
 * which SDL takes as typed.  SPEC: key names (X keysyms: "3", "Return",
 * "BackSpace", "space", "Down", "a"), "close" (the window manager's close
 * button: WM_DELETE_WINDOW) and "+S" waits S seconds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <png.h>

#include "bm_meta.h"
#include "bm_painlog.h"
#include "bm_store.h"
#include "bm_summary.h"
#include "bm_view.h"

static int failures;

#define EXPECT(cond, ...)                                          \
	do {                                                           \
		if (!(cond)) {                                             \
			fprintf(stderr, "FAIL: " __VA_ARGS__);                 \
			fputc('\n', stderr);                                   \
			failures++;                                            \
		}                                                          \
	} while (0)

/* ------------------------------------------------------------- keys */

/* The window called @p name that is on screen (SDL may replace its first
 * window when the renderer wants OpenGL: the old one goes away). */
static Window find_window(Display *d, Window w, const char *name)
{
	char *n = NULL;
	XWindowAttributes wa;
	if (XFetchName(d, w, &n) && n) {
		int ok = !strcmp(n, name) && XGetWindowAttributes(d, w, &wa) &&
		         wa.map_state == IsViewable;
		XFree(n);
		if (ok)
			return w;
	}
	Window root, parent, *kids = NULL, found = 0;
	unsigned nk = 0;
	if (!XQueryTree(d, w, &root, &parent, &kids, &nk))
		return 0;
	for (unsigned i = 0; i < nk && !found; i++)
		found = find_window(d, kids[i], name);
	if (kids)
		XFree(kids);
	return found;
}

/* A window that went away between finding and using it is not fatal. */
static int x_error(Display *d, XErrorEvent *e)
{
	(void)d;
	fprintf(stderr, "key sender: X error %d (a window went away); going on\n", e->error_code);
	return 0;
}

static void press(Display *d, Window w, const char *name)
{
	KeySym ks = XStringToKeysym(name);
	XKeyEvent e;
	memset(&e, 0, sizeof e);
	e.display = d;
	e.window = w;
	e.root = DefaultRootWindow(d);
	e.time = CurrentTime;
	e.same_screen = True;
	e.keycode = XKeysymToKeycode(d, ks);
	e.type = KeyPress;
	XSendEvent(d, w, True, KeyPressMask, (XEvent *)&e);
	e.type = KeyRelease;
	XSendEvent(d, w, True, KeyReleaseMask, (XEvent *)&e);
	XFlush(d);
}

/* What a window manager sends when its close button is clicked. */
static void close_button(Display *d, Window w)
{
	XClientMessageEvent e;
	memset(&e, 0, sizeof e);
	e.type = ClientMessage;
	e.display = d;
	e.window = w;
	e.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
	e.format = 32;
	e.data.l[0] = (long)XInternAtom(d, "WM_DELETE_WINDOW", False);
	e.data.l[1] = CurrentTime;
	XSendEvent(d, w, False, NoEventMask, (XEvent *)&e);
	XFlush(d);
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
	nanosleep(&ts, NULL);
}

/* Wait for the window, then type SPEC (a short pause after each key). */
static int send_keys(const char *spec)
{
	Display *d = XOpenDisplay(NULL);
	Window w = 0;
	if (!d) {
		fprintf(stderr, "FAIL: no X display to send keys to\n");
		return 1;
	}
	XSetErrorHandler(x_error);
	for (int i = 0; i < 300 && !w; i++) {
		w = find_window(d, DefaultRootWindow(d), "bridgemon");
		if (!w)
			sleep_s(0.1);
	}
	if (!w) {
		fprintf(stderr, "FAIL: no bridgemon window within 30 s\n");
		XCloseDisplay(d);
		return 1;
	}
	char buf[1024], *save = NULL;
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (t[0] == '+' && t[1]) {
			sleep_s(atof(t + 1));
			continue;
		}
		/* Looked up again for every key: the window of now. */
		Window now = find_window(d, DefaultRootWindow(d), "bridgemon");
		if (!strcmp(t, "close"))
			close_button(d, now ? now : w);
		else
			press(d, now ? now : w, t);
		XSync(d, False);
		sleep_s(0.25);
	}
	XCloseDisplay(d);
	return 0;
}

/* ------------------------------------------------------------ files */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = calloc(1, 1 << 20);
	size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	(void)n;
	fclose(f);
	return buf;
}

/* A session at 80 Hz: rest 50/45 N, a hold of +250/+220 N from 12 to 27 s,
 * rest to 45 s. */
static void write_session(const char *path)
{
	FILE *f = fopen(path, "w");
	fputs("t_s,left_n,right_n\n", f);
	for (int i = 0; i < 80 * 45; i++) {
		double t = i / 80.0, up = t >= 12 && t < 27 ? 1 : 0;
		fprintf(f, "%.6f,%.3f,%.3f\n", t, 50 + 250 * up + 0.3 * ((i * 7) % 5 - 2),
		        45 + 220 * up + 0.3 * ((i * 3) % 5 - 2));
	}
	fclose(f);
}

/* Run bridgemon (ARGS) and the key sender (SPEC) on one virtual display;
 * stderr to ERR.  The exit status of bridgemon (124: still running after
 * two minutes, so the keys did not reach it). */
static int run(const char *bm, const char *xvfb, const char *self, const char *env,
               const char *args, const char *spec, const char *err)
{
	char cmd[8192];
	snprintf(cmd, sizeof cmd,
	         "%s SDL_AUDIODRIVER=dummy TZ=UTC '%s' -a -s '-screen 0 1280x720x24' sh -c "
	         "\"timeout 120 '%s' %s 2>'%s' & p=\\$!; '%s' --keys '%s'; wait \\$p\"",
	         env, xvfb, bm, args, err, self, spec);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* "L m:ss R m:ss" after @p key in @p text, as seconds.  0 or -1. */
static int parse_legs(const char *text, const char *key, double out[2])
{
	const char *p = strstr(text, key);
	int lm, ls, rm, rs;
	if (!p || sscanf(p + strlen(key), " L %d:%d R %d:%d", &lm, &ls, &rm, &rs) != 4)
		return -1;
	out[0] = lm * 60 + ls;
	out[1] = rm * 60 + rs;
	return 0;
}

/* The one recording in the sessions folder (its CSV path), or "". */
static void the_recording(const char *dir, char *out, size_t len)
{
	char cmd[800];
	snprintf(cmd, sizeof cmd, "ls '%s'/*.csv 2>/dev/null | grep -v events", dir);
	FILE *p = popen(cmd, "r");
	out[0] = '\0';
	if (p && fgets(out, (int)len, p))
		out[strcspn(out, "\n")] = '\0';
	if (p)
		pclose(p);
}

static int count_near(const unsigned char *img, int w, SDL_Rect r, SDL_Color k, int tol)
{
	int n = 0;
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++) {
			const unsigned char *p = img + 3 * ((size_t)y * (size_t)w + (size_t)x);
			n += abs(p[0] - k.r) <= tol && abs(p[1] - k.g) <= tol && abs(p[2] - k.b) <= tol;
		}
	return n;
}

/* ------------------------------------------------------------- runs */

static void pain_and_dose(const char *bm, const char *xvfb, const char *self, const char *out)
{
	char dir[700], db[800], env[2000], args[3000], err[800], shot[800], csv[800];
	char sessions[900], rec[1000], mp[1100], msg[600];
	struct bm_store *st;
	snprintf(dir, sizeof dir, "%s/dose", out);
	snprintf(db, sizeof db, "%s/store.db", dir);
	snprintf(err, sizeof err, "%s/dose.err", dir);
	snprintf(shot, sizeof shot, "%s/dose.png", out);
	snprintf(csv, sizeof csv, "%s/session.csv", dir);
	snprintf(sessions, sizeof sessions, "%s/data/bridgemon/sessions", dir);
	snprintf(args, sizeof args, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
	if (system(args) != 0)
		return;
	write_session(csv);
	remove(shot);

	/* Ann trained yesterday (at another station); Bo is in the store. */
	double now = (double)time(NULL);
	struct bm_store_athlete ann, bo;
	if (bm_store_open(db, &st, msg, sizeof msg) != BM_STORE_OK) {
		EXPECT(0, "scratch store: %s", msg);
		return;
	}
	bm_store_athlete_get_or_create(st, "Ann", &ann, NULL);
	bm_store_athlete_get_or_create(st, "Bo", &bo, NULL);
	struct bm_store_session s;
	bm_store_session_init(&s);
	s.station = "earlier-station";
	s.recording = "yesterday.csv";
	s.athlete_id = ann.id;
	s.started_epoch_s = (int64_t)now - 86400;
	s.duration_s = 600;
	s.leg[0].hold_time_s = 100;
	s.leg[1].hold_time_s = 90;
	EXPECT(bm_store_session_upsert(st, &s, NULL) == BM_STORE_OK, "yesterday's session: %s",
	       bm_store_errmsg(st));
	bm_store_close(st);

	snprintf(env, sizeof env, "XDG_DATA_HOME='%s/data' XDG_CONFIG_HOME='%s/conf'", dir, dir);
	snprintf(args, sizeof args, "replay '%s' --speed 1.5 --athlete Ann --db '%s' --screenshot '%s'",
	         csv, db, shot);
	int rc = run(bm, xvfb, self, env, args,
	             "+1.5 3 Return +0.5 1 1 Return +0.5 BackSpace BackSpace 2 Return +0.5 space +18 "
	             "space +1.5 4 Return +1.5 q", err);
	char *e = slurp(err);
	EXPECT(rc == 0, "the replay exited with status %d: %s", rc, e ? e : "");
	if (!e)
		return;

	/* The answers, as the terminal logs them. */
	EXPECT(strstr(e, "Ann: pain this morning 3/10: acceptable"), "no morning answer in: %s", e);
	EXPECT(strstr(e, "Ann: pain before 2/10: safe"), "no pain-before answer in: %s", e);
	EXPECT(strstr(e, "Ann: pain after 4/10: acceptable") && strstr(e, "hold the load") &&
	           strstr(e, "guidance, not medical advice"),
	       "no pain-after answer with its advice in: %s", e);

	/* The store: three entries, the morning one about yesterday's session. */
	the_recording(sessions, rec, sizeof rec);
	EXPECT(rec[0], "no recording in %s", sessions);
	const char *base = strrchr(rec, '/');
	base = base ? base + 1 : rec;
	struct bm_store_pains *pl = NULL;
	int got[3] = {-1, -1, -1};
	if (bm_store_open(db, &st, msg, sizeof msg) == BM_STORE_OK &&
	    bm_store_pain_list(st, ann.id, &pl) == BM_STORE_OK) {
		for (size_t i = 0; i < pl->count; i++) {
			const struct bm_store_pain *p = &pl->items[i];
			got[p->when] = (int)p->score;
			if (p->when == BM_STORE_PAIN_NEXT_MORNING)
				EXPECT(p->recording && !strcmp(p->recording, "yesterday.csv"),
				       "the morning score is about %s, not yesterday's session",
				       p->recording ? p->recording : "no session");
			if (p->when == BM_STORE_PAIN_AFTER)
				EXPECT(p->recording && !strcmp(p->recording, base),
				       "pain after is about %s, not %s", p->recording ? p->recording : "none",
				       base);
		}
		EXPECT(pl->count == 3, "%zu pain entries for Ann, expected 3", pl->count);
	}
	EXPECT(got[0] == 2 && got[1] == 4 && got[2] == 3,
	       "store: before %d, after %d, next morning %d; expected 2, 4, 3", got[0], got[1],
	       got[2]);
	bm_store_pains_free(pl);
	bm_store_close(st);

	/* The pain log has the morning score (as `bridgemon pain` writes it). */
	struct bm_painlog log;
	char lp[900];
	snprintf(lp, sizeof lp, "%s/data/bridgemon/pain-log.csv", dir);
	if (bm_painlog_read(lp, &log, msg, sizeof msg) == BM_PAINLOG_OK) {
		EXPECT(log.n == 1 && log.items[0].when == BM_STORE_PAIN_NEXT_MORNING &&
		           log.items[0].score == 3 && !strcmp(log.items[0].athlete, "Ann"),
		       "pain log: %zu lines, expected Ann's morning 3", log.n);
		bm_painlog_free(&log);
	} else {
		EXPECT(0, "pain log: %s", msg);
	}

	/* The sidecar: before typed before the recording, after typed after it
	 * closed (the file rewritten whole, still closed). */
	struct bm_meta m;
	bm_meta_path(rec, mp, sizeof mp);
	if (bm_meta_read(mp, &m, msg, sizeof msg) == BM_META_OK) {
		EXPECT(m.ctx.pain_before == 2 && m.ctx.pain_after == 4 && m.closed &&
		           !strcmp(m.ctx.athlete, "Ann"),
		       "sidecar: pain %g/%g, closed %d, athlete '%s'", m.ctx.pain_before,
		       m.ctx.pain_after, m.closed, m.ctx.athlete);
		bm_meta_free(&m);
	} else {
		EXPECT(0, "sidecar: %s", msg);
	}

	/* The dose: today is the recording (analyze's hold time per leg), the
	 * 7 days add yesterday's 100/90 s; yesterday and today in a row. */
	struct bm_report rep;
	char sum[1100];
	double today[2], week[2];
	snprintf(sum, sizeof sum, "%.*s.summary.json", (int)(strlen(rec) - 4), rec);
	int have = bm_summary_read(sum, &rep, NULL, msg, sizeof msg) == BM_SUMMARY_OK;
	EXPECT(have, "summary: %s", msg);
	EXPECT(parse_legs(e, "Ann's dose: today", today) == 0 && parse_legs(e, "\u00b7 7 days", week) == 0,
	       "no dose line in: %s", e);
	if (have) {
		for (int leg = 0; leg < 2; leg++) {
			EXPECT(rep.hold_time_s[leg] > 10, "leg %d held %.1f s in the recording", leg,
			       rep.hold_time_s[leg]);
			EXPECT(fabs(today[leg] - rep.hold_time_s[leg]) <= 1.0,
			       "dose today leg %d %.0f s, the summary %.1f s", leg, today[leg],
			       rep.hold_time_s[leg]);
			EXPECT(fabs(week[leg] - (rep.hold_time_s[leg] + (leg ? 90 : 100))) <= 1.0,
			       "dose 7 days leg %d %.0f s, expected %.1f s", leg, week[leg],
			       rep.hold_time_s[leg] + (leg ? 90 : 100));
		}
		bm_report_free(&rep);
	}
	EXPECT(strstr(e, "every second day: not kept (2 days in a row)"), "rhythm not said in: %s", e);
	free(e);

	/* The window: the dose's two lines in the daily row. */
	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&pi, shot)) {
		EXPECT(0, "no screenshot at %s", shot);
		return;
	}
	pi.format = PNG_FORMAT_RGB;
	unsigned char *img = malloc(PNG_IMAGE_SIZE(pi));
	if (img && png_image_finish_read(&pi, NULL, img, 0, NULL)) {
		struct bm_view_layout L;
		bm_view_layout_compute((int)pi.width, (int)pi.height, &L);
		SDL_Rect row = L.daily_text;
		SDL_Rect top = {row.x, row.y - L.pad / 2, row.w, (row.h + L.pad / 2) / 2};
		SDL_Rect bottom = {row.x, top.y + top.h, row.w, row.h - top.h + L.pad / 2};
		int words = count_near(img, (int)pi.width, top, bm_view_colour(BM_VIEW_C_TEXT), 60);
		int dim = count_near(img, (int)pi.width, bottom, bm_view_colour(BM_VIEW_C_DIM), 40);
		EXPECT(words > 150 && dim > 150, "dose row: %d text pixels on top, %d dim below", words,
		       dim);
		/* Below the 2 min aim: not green. */
		EXPECT(count_near(img, (int)pi.width, top, bm_view_colour(BM_VIEW_C_IN), 20) < 10,
		       "the dose is green below the aim");
	}
	free(img);
}

static void picker(const char *bm, const char *xvfb, const char *self, const char *out)
{
	char dir[700], db[800], env[2000], args[3000], err[800], csv[800], sessions[900];
	char rec[1000], mp[1100], msg[600];
	snprintf(dir, sizeof dir, "%s/dose", out);
	snprintf(db, sizeof db, "%s/store.db", dir);
	snprintf(err, sizeof err, "%s/picker.err", dir);
	snprintf(csv, sizeof csv, "%s/session.csv", dir);
	snprintf(sessions, sizeof sessions, "%s/data/bridgemon/sessions", dir);
	/* A sessions folder of its own: the recording to find is this run's. */
	snprintf(env, sizeof env, "XDG_DATA_HOME='%s/data2' XDG_CONFIG_HOME='%s/conf'", dir, dir);
	snprintf(sessions, sizeof sessions, "%s/data2/bridgemon/sessions", dir);
	snprintf(args, sizeof args, "replay '%s' --speed 1.5 --db '%s'", csv, db);
	/* Ann, Bo: Down picks Bo; space records behind the question "pain
	 * now", answered 1 during the recording; a is refused while recording;
	 * space stops; skip pain after; a new athlete "cy"; skip pain now; q
	 * asks pain after, q again quits. */
	int rc = run(bm, xvfb, self, env, args,
	             "+1.5 a +0.5 Down Return +0.5 space +0.5 1 Return +0.5 a +2 space +1 Escape +0.5 "
	             "a +0.5 c y Return +0.5 Escape +0.5 q +0.5 q", err);
	char *e = slurp(err);
	EXPECT(rc == 0, "the replay exited with status %d: %s", rc, e ? e : "");
	EXPECT(e && strstr(e, "athlete: Bo\n"), "Bo not picked: %s", e ? e : "");
	EXPECT(e && strstr(e, "athlete: cy\n"), "cy not created: %s", e ? e : "");
	free(e);
	/* The recording (made while Bo was picked; a refused while recording)
	 * is Bo's. */
	the_recording(sessions, rec, sizeof rec);
	const char *base = strrchr(rec, '/');
	base = base ? base + 1 : rec;
	struct bm_store *st;
	struct bm_store_athlete a;
	struct bm_store_pains *pl = NULL;
	if (bm_store_open(db, &st, msg, sizeof msg) == BM_STORE_OK) {
		EXPECT(bm_store_athlete_find_name(st, "cy", &a) == BM_STORE_OK, "cy is not in the store");
		if (bm_store_athlete_find_name(st, "Bo", &a) == BM_STORE_OK &&
		    bm_store_pain_list(st, a.id, &pl) == BM_STORE_OK)
			EXPECT(pl->count == 1 && pl->items[0].when == BM_STORE_PAIN_BEFORE &&
			           pl->items[0].score == 1 && pl->items[0].recording &&
			           !strcmp(pl->items[0].recording, base),
			       "Bo's pain entries: %zu, expected before 1 about %s", pl->count, base);
		bm_store_pains_free(pl);
		bm_store_close(st);
	}
	struct bm_meta m;
	bm_meta_path(rec, mp, sizeof mp);
	if (rec[0] && bm_meta_read(mp, &m, msg, sizeof msg) == BM_META_OK) {
		EXPECT(!strcmp(m.ctx.athlete, "Bo") && m.ctx.pain_before == 1 && isnan(m.ctx.pain_after),
		       "the recording is %s's (pain %g/%g), expected Bo's with pain before 1 typed "
		       "while recording", m.ctx.athlete, m.ctx.pain_before, m.ctx.pain_after);
		bm_meta_free(&m);
	} else {
		EXPECT(0, "no recording of Bo's in %s", sessions);
	}
}

static void close_asks_pain_after(const char *bm, const char *xvfb, const char *self,
                                  const char *out)
{
	char dir[700], db[800], env[2000], args[3000], err[800], csv[800], sessions[900];
	char rec[1000], mp[1100], msg[600];
	snprintf(dir, sizeof dir, "%s/dose", out);
	snprintf(db, sizeof db, "%s/store.db", dir);
	snprintf(err, sizeof err, "%s/close.err", dir);
	snprintf(csv, sizeof csv, "%s/session.csv", dir);
	snprintf(env, sizeof env, "XDG_DATA_HOME='%s/data3' XDG_CONFIG_HOME='%s/conf'", dir, dir);
	snprintf(sessions, sizeof sessions, "%s/data3/bridgemon/sessions", dir);
	snprintf(args, sizeof args, "replay '%s' --speed 1.5 --athlete Dee --db '%s'", csv, db);
	/* Record behind the question "pain now"; the close button stops the
	 * recording and asks pain after; 2 answers pain now, 5 pain after; the
	 * close button again quits. */
	int rc = run(bm, xvfb, self, env, args, "+1.5 space +3 close +1 2 Return +1 5 Return +1 close",
	             err);
	char *e = slurp(err);
	EXPECT(rc == 0, "the replay exited with status %d: %s", rc, e ? e : "");
	EXPECT(e && strstr(e, "Dee: pain after 5/10"), "close did not ask pain after: %s",
	       e ? e : "");
	free(e);
	the_recording(sessions, rec, sizeof rec);
	const char *base = strrchr(rec, '/');
	base = base ? base + 1 : rec;
	struct bm_meta m;
	bm_meta_path(rec, mp, sizeof mp);
	if (rec[0] && bm_meta_read(mp, &m, msg, sizeof msg) == BM_META_OK) {
		EXPECT(m.ctx.pain_before == 2 && m.ctx.pain_after == 5 && m.closed,
		       "Dee's recording: pain %g/%g, closed %d; expected 2/5, closed",
		       m.ctx.pain_before, m.ctx.pain_after, m.closed);
		bm_meta_free(&m);
	} else {
		EXPECT(0, "no recording of Dee's in %s", sessions);
	}
	/* The store: both entries keyed to that recording. */
	struct bm_store *st;
	struct bm_store_athlete a;
	struct bm_store_pains *pl = NULL;
	if (bm_store_open(db, &st, msg, sizeof msg) == BM_STORE_OK) {
		if (bm_store_athlete_find_name(st, "Dee", &a) == BM_STORE_OK &&
		    bm_store_pain_list(st, a.id, &pl) == BM_STORE_OK) {
			int ok = pl->count == 2;
			for (size_t i = 0; ok && i < pl->count; i++)
				ok = pl->items[i].recording && !strcmp(pl->items[i].recording, base) &&
				     pl->items[i].score == (pl->items[i].when == BM_STORE_PAIN_BEFORE ? 2 : 5);
			EXPECT(ok, "Dee's pain entries: %zu, expected before 2 and after 5 about %s",
			       pl->count, base);
		} else {
			EXPECT(0, "Dee is not in the store");
		}
		bm_store_pains_free(pl);
		bm_store_close(st);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--keys"))
		return send_keys(argv[2]);
	if (argc != 4) {
		fprintf(stderr, "usage: test_window_dose BRIDGEMON XVFB_RUN OUTDIR\n"
		                "       test_window_dose --keys SPEC\n");
		return 2;
	}
	char self[1100];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return 2;
	self[n] = '\0';
	pain_and_dose(argv[1], argv[2], self, argv[3]);
	picker(argv[1], argv[2], self, argv[3]);
	close_asks_pain_after(argv[1], argv[2], self, argv[3]);
	if (failures)
		return 1;
	printf("ok: pain typed into the window reached the store, the log and the sidecar; the dose "
	       "equals the summaries; the picker chose and created athletes\n");
	return 0;
}
