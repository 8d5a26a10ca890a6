/*
 * bm_rehab_protocol.c - protocol files: a line reader, a small lexer for set
 * lines, the writer, the built-ins and the folder listing.  See
 * bm_rehab_protocol.h for the format.
 *
 * Numbers are read as an integer mantissa and a power of ten (at most 9
 * digits before the point and 6 after), then divided once: the result is
 * the correctly rounded double of the decimal written, and the writer's
 * %.15g gives that decimal back.  That is what makes "write, read back"
 * an exact round trip, which the fuzz target checks on every input that
 * parses.
 */
#include "bm_rehab_protocol.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest number the lexer takes: more digits than this is an error, not a
 * silent loss of precision. */
#define INT_DIGITS_MAX 9
#define FRAC_DIGITS_MAX 6

/* How much of a user's word a message quotes. */
#define QUOTE_MAX 24

static const char *const exercise_names[] = {
	"double_leg", "single_leg_left", "single_leg_right", "long_lever", "custom",
};
#define N_EXERCISES (sizeof exercise_names / sizeof exercise_names[0])

static const char *const kind_names[] = {"hold", "reps", "fatigue", "mvic"};

const char *bm_exercise_name(enum bm_exercise e)
{
	return (unsigned)e < N_EXERCISES ? exercise_names[e] : "?";
}

const char *bm_set_kind_name(enum bm_set_kind k)
{
	return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

/* ---- errors ------------------------------------------------------------ */

struct parser {
	const char *file;
	int line;
	char *msg;
	size_t msg_len;
};

static int fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One line "FILE:LINE: reason"; returns BM_PROTOCOL_ERR_FORMAT. */
static int fail(struct parser *ps, const char *fmt, ...)
{
	if (ps->msg && ps->msg_len) {
		int n = snprintf(ps->msg, ps->msg_len, "%s:%d: ", ps->file, ps->line);
		if (n >= 0 && (size_t)n < ps->msg_len) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(ps->msg + n, ps->msg_len - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return BM_PROTOCOL_ERR_FORMAT;
}

/* A user's text made safe to quote in a one-line message: printable ASCII
 * kept, other bytes as \xNN, cut at QUOTE_MAX characters. */
static void quote(const char *s, size_t n, char *out, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 5 < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i == QUOTE_MAX) {
			out[o++] = '.';
			out[o++] = '.';
			out[o++] = '.';
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\'')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", c);
	}
	out[o] = '\0';
}

/* ---- lexer for set lines ---------------------------------------------- */

enum tok_type { TOK_END, TOK_WORD, TOK_NUM, TOK_AT, TOK_PCT, TOK_DASH, TOK_BAD };

struct token {
	enum tok_type type;
	const char *s;
	size_t n;
	double num;
	int integral;      /* TOK_NUM: no fraction digits other than zeros */
	int too_long;      /* TOK_NUM: more digits than the lexer takes */
};

struct lexer {
	const char *p, *end;
};

static int is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static void lex(struct lexer *lx, struct token *t)
{
	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t'))
		lx->p++;
	memset(t, 0, sizeof *t);
	t->s = lx->p;
	if (lx->p >= lx->end) {
		t->type = TOK_END;
		return;
	}
	char c = *lx->p;
	if (is_word_char(c)) {
		while (lx->p < lx->end && is_word_char(*lx->p))
			lx->p++;
		t->type = TOK_WORD;
	} else if (c >= '0' && c <= '9') {
		uint64_t m = 0;
		int idig = 0, fdig = 0, frac_nonzero = 0;
		while (lx->p < lx->end && *lx->p >= '0' && *lx->p <= '9') {
			if (++idig <= INT_DIGITS_MAX)
				m = m * 10 + (uint64_t)(*lx->p - '0');
			lx->p++;
		}
		if (lx->p + 1 < lx->end && *lx->p == '.' && lx->p[1] >= '0' && lx->p[1] <= '9') {
			lx->p++;
			while (lx->p < lx->end && *lx->p >= '0' && *lx->p <= '9') {
				if (++fdig <= FRAC_DIGITS_MAX)
					m = m * 10 + (uint64_t)(*lx->p - '0');
				if (*lx->p != '0')
					frac_nonzero = 1;
				lx->p++;
			}
		}
		t->type = TOK_NUM;
		t->too_long = idig > INT_DIGITS_MAX || fdig > FRAC_DIGITS_MAX;
		double scale = 1;
		for (int i = 0; i < fdig && i < FRAC_DIGITS_MAX; i++)
			scale *= 10;
		/* m < 10^15 < 2^53 and scale an exact power of ten: one rounding. */
		t->num = (double)m / scale;
		t->integral = !frac_nonzero;
	} else {
		lx->p++;
		t->type = c == '@' ? TOK_AT : c == '%' ? TOK_PCT : c == '-' ? TOK_DASH : TOK_BAD;
	}
	t->n = (size_t)(lx->p - t->s);
}

static int tok_is(const struct token *t, const char *word)
{
	return t->type == TOK_WORD && strlen(word) == t->n && memcmp(t->s, word, t->n) == 0;
}

/* The token in words, for messages. */
static void tok_describe(const struct token *t, char *out, size_t len)
{
	char q[QUOTE_MAX * 4 + 8];
	switch (t->type) {
	case TOK_END:
		snprintf(out, len, "the end of the line");
		break;
	case TOK_NUM:
		quote(t->s, t->n, q, sizeof q);
		snprintf(out, len, "number %s", q);
		break;
	default:
		quote(t->s, t->n, q, sizeof q);
		snprintf(out, len, "'%s'", q);
		break;
	}
}

static int unexpected(struct parser *ps, const struct token *t, const char *wanted)
{
	char d[QUOTE_MAX * 4 + 32];
	if (t->type == TOK_BAD) {
		char q[8];
		quote(t->s, 1, q, sizeof q);
		return fail(ps, "unexpected character '%s'%s%s", q, wanted ? ", expected " : "",
		            wanted ? wanted : "");
	}
	tok_describe(t, d, sizeof d);
	if (wanted)
		return fail(ps, "expected %s, got %s", wanted, d);
	return fail(ps, "unexpected %s", d);
}

/* A number, with an optional minus sign (so that "-5" is reported as out of
 * range rather than as a stray dash).  @what names it in messages. */
static int read_number(struct parser *ps, struct lexer *lx, const char *what, double *v,
                       int *integral)
{
	struct token t;
	int neg = 0;
	lex(lx, &t);
	if (t.type == TOK_DASH) {
		neg = 1;
		lex(lx, &t);
	}
	if (t.type != TOK_NUM) {
		char w[64];
		snprintf(w, sizeof w, "a number for %s", what);
		return unexpected(ps, &t, w);
	}
	if (t.too_long) {
		char q[QUOTE_MAX * 4 + 8];
		quote(t.s, t.n, q, sizeof q);
		return fail(ps, "%s %s has too many digits (at most %d before the point and %d after)",
		            what, q, INT_DIGITS_MAX, FRAC_DIGITS_MAX);
	}
	*v = neg ? -t.num : t.num;
	*v += 0.0; /* no negative zero: it would be written back as "-0" */
	if (integral)
		*integral = t.integral;
	return BM_PROTOCOL_OK;
}

/* A duration: number then s|sec|min; in seconds. */
static int read_duration(struct parser *ps, struct lexer *lx, const char *what, double *s)
{
	struct token t;
	double v;
	int rc = read_number(ps, lx, what, &v, NULL);
	if (rc)
		return rc;
	lex(lx, &t);
	if (tok_is(&t, "s") || tok_is(&t, "sec")) {
		*s = v;
	} else if (tok_is(&t, "min")) {
		/* v = m / 10^k with k <= 6: 60 m / 10^k is again a decimal with at
		 * most 6 places, so write-back stays exact. */
		*s = v * 60.0;
		double r = nearbyint(*s * 1e6) / 1e6;
		if (fabs(r) < 1e9)
			*s = r;
	} else {
		char w[80];
		snprintf(w, sizeof w, "a unit after the %s (s or min)", what);
		return unexpected(ps, &t, w);
	}
	return BM_PROTOCOL_OK;
}

static int in_range(double v, double lo, double hi)
{
	return v >= lo && v <= hi;
}

/* `@ PCT %` or `@ LOW-HIGH %`, the '@' already read. */
static int read_zone(struct parser *ps, struct lexer *lx, struct bm_protocol_set *set)
{
	double a, b = NAN;
	int rc = read_number(ps, lx, "% MVIC", &a, NULL);
	if (rc)
		return rc;
	struct token t;
	lex(lx, &t);
	if (t.type == TOK_DASH) {
		rc = read_number(ps, lx, "zone high %", &b, NULL);
		if (rc)
			return rc;
		lex(lx, &t);
	}
	if (t.type != TOK_PCT)
		return unexpected(ps, &t, "'%' after the % MVIC");
	if (!in_range(a, BM_PROTOCOL_PCT_MIN, BM_PROTOCOL_PCT_MAX))
		return fail(ps, "%% MVIC must be %g-%g, got %g", BM_PROTOCOL_PCT_MIN, BM_PROTOCOL_PCT_MAX, a);
	if (isnan(b)) {
		set->pct_mvic = a;
		return BM_PROTOCOL_OK;
	}
	if (!in_range(b, BM_PROTOCOL_PCT_MIN, BM_PROTOCOL_PCT_MAX))
		return fail(ps, "%% MVIC must be %g-%g, got %g", BM_PROTOCOL_PCT_MIN, BM_PROTOCOL_PCT_MAX, b);
	if (!(a < b))
		return fail(ps, "zone low %% must be below high %%, got %g-%g", a, b);
	set->zone_low_pct = a;
	set->zone_high_pct = b;
	set->pct_mvic = (a + b) / 2;
	return BM_PROTOCOL_OK;
}

static int read_side(struct parser *ps, const struct token *t, int allow_both, enum bm_side *side)
{
	if (tok_is(t, "left"))
		*side = BM_SIDE_LEFT;
	else if (tok_is(t, "right"))
		*side = BM_SIDE_RIGHT;
	else if (allow_both && tok_is(t, "both"))
		*side = BM_SIDE_BOTH;
	else
		return unexpected(ps, t, allow_both ? "left, right or both" : "left or right");
	return BM_PROTOCOL_OK;
}

static int parse_set(struct parser *ps, const char *s, size_t n, struct bm_protocol_set *set)
{
	struct lexer lx = {s, s + n};
	struct token t;
	int rc, integral;
	double v;

	memset(set, 0, sizeof *set);
	set->pct_mvic = set->zone_low_pct = set->zone_high_pct = NAN;
	set->side = BM_SIDE_BOTH;
	set->count = 1;

	lex(&lx, &t);
	if (tok_is(&t, "hold")) {
		set->kind = BM_SET_HOLD;
		if ((rc = read_duration(ps, &lx, "hold seconds", &set->seconds)))
			return rc;
		if (!in_range(set->seconds, BM_PROTOCOL_SECONDS_MIN, BM_PROTOCOL_SECONDS_MAX))
			return fail(ps, "hold seconds must be %g-%g, got %g", BM_PROTOCOL_SECONDS_MIN,
			            BM_PROTOCOL_SECONDS_MAX, set->seconds);
	} else if (tok_is(&t, "reps")) {
		set->kind = BM_SET_REPS;
		if ((rc = read_number(ps, &lx, "reps", &v, &integral)))
			return rc;
		if (!in_range(v, BM_PROTOCOL_REPS_MIN, BM_PROTOCOL_REPS_MAX))
			return fail(ps, "reps must be %d-%d, got %g", BM_PROTOCOL_REPS_MIN, BM_PROTOCOL_REPS_MAX, v);
		if (!integral)
			return fail(ps, "reps must be a whole number, got %g", v);
		set->reps = (int)v;
	} else if (tok_is(&t, "fatigue")) {
		set->kind = BM_SET_FATIGUE;
		lex(&lx, &t);
		if ((rc = read_side(ps, &t, 0, &set->side)))
			return rc;
		set->side_given = 1;
	} else if (tok_is(&t, "mvic")) {
		set->kind = BM_SET_MVIC;
		lex(&lx, &t);
		if ((rc = read_side(ps, &t, 1, &set->side)))
			return rc;
		set->side_given = 1;
		if ((rc = read_duration(ps, &lx, "mvic seconds", &set->seconds)))
			return rc;
		if (!in_range(set->seconds, BM_PROTOCOL_SECONDS_MIN, BM_PROTOCOL_SECONDS_MAX))
			return fail(ps, "mvic seconds must be %g-%g, got %g", BM_PROTOCOL_SECONDS_MIN,
			            BM_PROTOCOL_SECONDS_MAX, set->seconds);
	} else if (t.type == TOK_END) {
		return fail(ps, "a set needs a kind: hold, reps, fatigue or mvic");
	} else {
		return unexpected(ps, &t, "a set kind (hold, reps, fatigue or mvic)");
	}

	int have_zone = 0, have_side = set->side_given, have_rest = 0, have_count = 0;
	const char *kind = bm_set_kind_name(set->kind);
	for (;;) {
		lex(&lx, &t);
		if (t.type == TOK_END)
			break;
		if (t.type == TOK_AT) {
			if (set->kind == BM_SET_FATIGUE || set->kind == BM_SET_MVIC)
				return fail(ps, "%s sets take no @ %% MVIC", kind);
			if (have_zone)
				return fail(ps, "@ %% MVIC given twice");
			have_zone = 1;
			if ((rc = read_zone(ps, &lx, set)))
				return rc;
		} else if (tok_is(&t, "left") || tok_is(&t, "right") || tok_is(&t, "both")) {
			if (have_side)
				return fail(ps, "the side is given twice");
			have_side = 1;
			read_side(ps, &t, 1, &set->side);
			set->side_given = 1;
		} else if (tok_is(&t, "rest")) {
			if (have_rest)
				return fail(ps, "rest given twice");
			have_rest = 1;
			if ((rc = read_duration(ps, &lx, "rest", &set->rest_s)))
				return rc;
			if (!in_range(set->rest_s, BM_PROTOCOL_REST_MIN, BM_PROTOCOL_REST_MAX))
				return fail(ps, "rest must be %g-%g s, got %g", BM_PROTOCOL_REST_MIN,
				            BM_PROTOCOL_REST_MAX, set->rest_s);
		} else if (tok_is(&t, "x")) {
			if (set->kind == BM_SET_FATIGUE)
				return fail(ps, "fatigue sets take no xN: write one line per leg");
			if (have_count)
				return fail(ps, "xN given twice");
			have_count = 1;
			if ((rc = read_number(ps, &lx, "sets", &v, &integral)))
				return rc;
			if (!in_range(v, BM_PROTOCOL_COUNT_MIN, BM_PROTOCOL_COUNT_MAX))
				return fail(ps, "sets (xN) must be %d-%d, got %g", BM_PROTOCOL_COUNT_MIN,
				            BM_PROTOCOL_COUNT_MAX, v);
			if (!integral)
				return fail(ps, "sets (xN) must be a whole number, got %g", v);
			set->count = (int)v;
		} else {
			char d[QUOTE_MAX * 4 + 32];
			tok_describe(&t, d, sizeof d);
			if (t.type == TOK_BAD)
				return unexpected(ps, &t, NULL);
			return fail(ps, "unexpected %s in a %s set (it takes %s)", d, kind,
			            set->kind == BM_SET_FATIGUE ? "rest"
			            : set->kind == BM_SET_MVIC ? "rest and xN"
			            : "@ %, left/right/both, rest and xN");
		}
	}
	return BM_PROTOCOL_OK;
}

/* ---- lines ------------------------------------------------------------- */

static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		unsigned min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1;
			min = 0x80;
			c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2;
			min = 0x800;
			c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3;
			min = 0x10000;
			c &= 0x07;
		} else {
			return 0;
		}
		if (i + k >= n)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (s[i + j] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

static void trim(const char **s, size_t *n)
{
	while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* The id from a file name: its last component without ".protocol". */
static int id_from_file(const char *file, char *id, size_t len)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strlen(base), sl = strlen(BM_PROTOCOL_SUFFIX);
	if (n > sl && strcmp(base + n - sl, BM_PROTOCOL_SUFFIX) == 0)
		n -= sl;
	if (n >= len)
		return -1;
	memcpy(id, base, n);
	id[n] = '\0';
	return 0;
}

static int parse_line(struct parser *ps, const char *s, size_t n, struct bm_protocol *out,
                      int *name_line, int *exercise_line)
{
	const char *colon = memchr(s, ':', n);
	const char *k = s;
	size_t kn = colon ? (size_t)(colon - s) : n;
	trim(&k, &kn);
	if (!colon) {
		char q[QUOTE_MAX * 4 + 8];
		quote(s, n, q, sizeof q);
		return fail(ps, "expected 'key: value', got '%s'", q);
	}
	const char *v = colon + 1;
	size_t vn = n - (size_t)(v - s);
	trim(&v, &vn);

	if (kn == 4 && memcmp(k, "name", 4) == 0) {
		if (*name_line)
			return fail(ps, "name given twice (first on line %d)", *name_line);
		if (vn == 0)
			return fail(ps, "the name is empty");
		if (vn >= BM_PROTOCOL_NAME_MAX)
			return fail(ps, "the name is longer than %d bytes", BM_PROTOCOL_NAME_MAX - 1);
		for (size_t i = 0; i < vn; i++)
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
				return fail(ps, "the name contains a control character");
		if (!utf8_valid((const unsigned char *)v, vn))
			return fail(ps, "the name is not valid UTF-8");
		memcpy(out->name, v, vn);
		out->name[vn] = '\0';
		*name_line = ps->line;
		out->name_line = ps->line;
		return BM_PROTOCOL_OK;
	}
	if (kn == 8 && memcmp(k, "exercise", 8) == 0) {
		if (*exercise_line)
			return fail(ps, "exercise given twice (first on line %d)", *exercise_line);
		for (size_t i = 0; i < N_EXERCISES; i++) {
			if (strlen(exercise_names[i]) == vn && memcmp(v, exercise_names[i], vn) == 0) {
				out->exercise = (enum bm_exercise)i;
				*exercise_line = ps->line;
				return BM_PROTOCOL_OK;
			}
		}
		char q[QUOTE_MAX * 4 + 8];
		quote(v, vn, q, sizeof q);
		return fail(ps, "unknown exercise '%s' (double_leg, single_leg_left, single_leg_right, "
		            "long_lever or custom)", q);
	}
	if (kn == 3 && memcmp(k, "set", 3) == 0) {
		if (out->n_sets == BM_PROTOCOL_MAX_LINES)
			return fail(ps, "more than %d set lines", BM_PROTOCOL_MAX_LINES);
		struct bm_protocol_set set;
		int rc = parse_set(ps, v, vn, &set);
		if (rc)
			return rc;
		if (bm_protocol_total_sets(out) + (size_t)set.count > BM_PROTOCOL_MAX_SETS)
			return fail(ps, "more than %d sets in all", BM_PROTOCOL_MAX_SETS);
		out->sets[out->n_sets++] = set;
		return BM_PROTOCOL_OK;
	}
	char q[QUOTE_MAX * 4 + 8];
	quote(k, kn, q, sizeof q);
	return fail(ps, "unknown key '%s' (name, exercise and set are known)", q);
}

static enum bm_side exercise_side(enum bm_exercise e)
{
	if (e == BM_EXERCISE_SINGLE_LEG_LEFT)
		return BM_SIDE_LEFT;
	if (e == BM_EXERCISE_SINGLE_LEG_RIGHT)
		return BM_SIDE_RIGHT;
	return BM_SIDE_BOTH;
}

int bm_protocol_parse(const char *text, size_t len, const char *file,
                      struct bm_protocol *out, char *msg, size_t msg_len)
{
	if (msg && msg_len)
		msg[0] = '\0';
	if (!out || (!text && len))
		return BM_PROTOCOL_ERR_ARG;
	memset(out, 0, sizeof *out);
	struct parser ps = {file ? file : "(memory)", 1, msg, msg_len};
	if (file && id_from_file(file, out->id, sizeof out->id) != 0)
		return fail(&ps, "the file name is too long for an id (at most %d bytes before %s)",
		            BM_PROTOCOL_NAME_MAX - 1, BM_PROTOCOL_SUFFIX);
	if (len > BM_PROTOCOL_FILE_MAX)
		return fail(&ps, "the file is larger than %d bytes", BM_PROTOCOL_FILE_MAX);

	int name_line = 0, exercise_line = 0, lines = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl ? 1 : 0);
		ps.line = ++lines;
		if (n && s[n - 1] == '\r')
			n--;
		if (memchr(s, '\0', n))
			return fail(&ps, "NUL byte in the line");
		if (n > BM_PROTOCOL_LINE_MAX)
			return fail(&ps, "the line is longer than %d bytes", BM_PROTOCOL_LINE_MAX);
		const char *hash = memchr(s, '#', n);
		if (hash)
			n = (size_t)(hash - s);
		trim(&s, &n);
		if (n == 0)
			continue;
		int rc = parse_line(&ps, s, n, out, &name_line, &exercise_line);
		if (rc)
			return rc;
	}
	ps.line = lines > 0 ? lines : 1;
	if (!name_line && out->n_sets == 0)
		return fail(&ps, "empty file: no name and no sets");
	if (!name_line)
		return fail(&ps, "no 'name:' line");
	if (out->n_sets == 0)
		return fail(&ps, "no 'set:' line");
	for (size_t i = 0; i < out->n_sets; i++)
		if (!out->sets[i].side_given)
			out->sets[i].side = exercise_side(out->exercise);
	return BM_PROTOCOL_OK;
}

int bm_protocol_load_file(const char *path, struct bm_protocol *out, char *msg, size_t msg_len)
{
	if (msg && msg_len)
		msg[0] = '\0';
	if (!path || !out)
		return BM_PROTOCOL_ERR_ARG;
	memset(out, 0, sizeof *out);
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (msg)
			snprintf(msg, msg_len, "%s: %s", path, strerror(errno));
		return BM_PROTOCOL_ERR_IO;
	}
	char *buf = malloc(BM_PROTOCOL_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		if (msg)
			snprintf(msg, msg_len, "%s: out of memory", path);
		return BM_PROTOCOL_ERR_NOMEM;
	}
	size_t n = fread(buf, 1, BM_PROTOCOL_FILE_MAX + 1, f);
	int err = ferror(f);
	fclose(f);
	int rc;
	if (err) {
		if (msg)
			snprintf(msg, msg_len, "%s: read error", path);
		rc = BM_PROTOCOL_ERR_IO;
	} else {
		/* One byte more than the limit was read when the file is too
		 * large: the parser says so. */
		rc = bm_protocol_parse(buf, n, path, out, msg, msg_len);
	}
	free(buf);
	return rc;
}

/* ---- writing ----------------------------------------------------------- */


static void put_set(struct bm_outbuf *o, const struct bm_protocol_set *s)
{
	switch (s->kind) {
	case BM_SET_HOLD:
		bm_outbuf_put(o, "hold %.15g s", s->seconds);
		break;
	case BM_SET_REPS:
		bm_outbuf_put(o, "reps %d", s->reps);
		break;
	case BM_SET_FATIGUE:
		bm_outbuf_put(o, "fatigue %s", bm_side_name(s->side));
		break;
	case BM_SET_MVIC:
		bm_outbuf_put(o, "mvic %s %.15g s", bm_side_name(s->side), s->seconds);
		break;
	}
	if (s->kind == BM_SET_HOLD || s->kind == BM_SET_REPS) {
		if (!isnan(s->zone_low_pct))
			bm_outbuf_put(o, " @ %.15g-%.15g %%", s->zone_low_pct, s->zone_high_pct);
		else if (!isnan(s->pct_mvic))
			bm_outbuf_put(o, " @ %.15g %%", s->pct_mvic);
		if (s->side_given)
			bm_outbuf_put(o, " %s", bm_side_name(s->side));
	}
	if (s->rest_s > 0)
		bm_outbuf_put(o, "  rest %.15g s", s->rest_s);
	if (s->count != 1)
		bm_outbuf_put(o, "  x%d", s->count);
}

size_t bm_protocol_format(const struct bm_protocol *p, char *out, size_t cap)
{
	struct bm_outbuf o = {out, cap, 0};
	if (out && cap)
		out[0] = '\0';
	if (!p)
		return 0;
	bm_outbuf_put(&o, "# bridgemon protocol (format: host/rehab/README-protocols.md)\n");
	bm_outbuf_put(&o, "name: %s\n", p->name);
	bm_outbuf_put(&o, "exercise: %s\n", bm_exercise_name(p->exercise));
	for (size_t i = 0; i < p->n_sets && i < BM_PROTOCOL_MAX_LINES; i++) {
		bm_outbuf_put(&o, "set: ");
		put_set(&o, &p->sets[i]);
		bm_outbuf_put(&o, "\n");
	}
	return o.len;
}

size_t bm_protocol_total_sets(const struct bm_protocol *p)
{
	size_t n = 0;
	for (size_t i = 0; p && i < p->n_sets && i < BM_PROTOCOL_MAX_LINES; i++)
		n += (size_t)(p->sets[i].count > 0 ? p->sets[i].count : 0);
	return n;
}

void bm_protocol_describe_set(const struct bm_protocol_set *s, char *out, size_t len)
{
	struct bm_outbuf o = {out, len, 0};
	if (out && len)
		out[0] = '\0';
	if (!s || !out || !len)
		return;
	const char *legs = s->side == BM_SIDE_LEFT ? "left leg" : s->side == BM_SIDE_RIGHT
	                   ? "right leg" : "both legs";
	switch (s->kind) {
	case BM_SET_HOLD:
		bm_outbuf_put(&o, "hold %g s", s->seconds);
		break;
	case BM_SET_REPS:
		bm_outbuf_put(&o, "%d reps", s->reps);
		break;
	case BM_SET_FATIGUE:
		bm_outbuf_put(&o, "reps to fatigue, %s", legs);
		return;
	case BM_SET_MVIC:
		bm_outbuf_put(&o, "MVIC %s, %g s", legs, s->seconds);
		return;
	}
	if (!isnan(s->zone_low_pct))
		bm_outbuf_put(&o, " @ %g-%g %%", s->zone_low_pct, s->zone_high_pct);
	else if (!isnan(s->pct_mvic))
		bm_outbuf_put(&o, " @ %g %%", s->pct_mvic);
	if (s->side != BM_SIDE_BOTH)
		bm_outbuf_put(&o, ", %s", legs);
}

/* ---- built-ins --------------------------------------------------------- */

static const struct {
	const char *id;
	const char *text;
} builtins[] = {
	{"isometric",
	 "name: Isometric holds 5x45 s @ 70 %\n"
	 "exercise: double_leg\n"
	 "set: hold 45 s @ 70 % rest 120 s x5\n"},
	{"reps",
	 "name: Bridge reps 3x15\n"
	 "exercise: double_leg\n"
	 "set: reps 15 rest 90 s x3\n"},
	{"fatigue",
	 "name: Single-leg bridge to fatigue\n"
	 "exercise: custom\n"
	 "set: fatigue left rest 120 s\n"
	 "set: fatigue right\n"},
	{"mvic",
	 "name: MVIC test\n"
	 "exercise: custom\n"
	 "set: mvic left 5 s rest 60 s x3\n"
	 "set: mvic right 5 s rest 60 s x3\n"
	 "set: mvic both 5 s rest 60 s x3\n"},
};
#define N_BUILTINS (sizeof builtins / sizeof builtins[0])

size_t bm_protocol_builtin_count(void)
{
	return N_BUILTINS;
}

int bm_protocol_builtin(size_t i, struct bm_protocol *out)
{
	if (!out || i >= N_BUILTINS)
		return BM_PROTOCOL_ERR_ARG;
	/* Built-ins go through the same parser as user files: one definition
	 * of what a protocol is, and the built-ins are checked with it. */
	int rc = bm_protocol_parse(builtins[i].text, strlen(builtins[i].text), NULL, out, NULL, 0);
	if (rc)
		return rc;
	snprintf(out->id, sizeof out->id, "%s", builtins[i].id);
	out->builtin = 1;
	return BM_PROTOCOL_OK;
}

/* ---- the folder -------------------------------------------------------- */

int bm_protocol_dir(char *out, size_t len)
{
	if (!out || !len)
		return BM_PROTOCOL_ERR_ARG;
	out[0] = '\0';
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(out, len, "%s/bridgemon/protocols", xdg);
	else if (home && home[0])
		n = snprintf(out, len, "%s/.config/bridgemon/protocols", home);
	else
		return BM_PROTOCOL_ERR_IO;
	if (n < 0 || (size_t)n >= len) {
		out[0] = '\0';
		return BM_PROTOCOL_ERR_IO;
	}
	return BM_PROTOCOL_OK;
}

struct bm_protocol_list {
	size_t n, cap;
	struct bm_protocol *items;
	size_t n_errors, cap_errors;
	char **errors;
};

static int list_add(struct bm_protocol_list *l, const struct bm_protocol *p)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? 2 * l->cap : 16;
		struct bm_protocol *ni = realloc(l->items, ncap * sizeof *ni);
		if (!ni)
			return BM_PROTOCOL_ERR_NOMEM;
		l->items = ni;
		l->cap = ncap;
	}
	l->items[l->n++] = *p;
	return BM_PROTOCOL_OK;
}

static int list_error(struct bm_protocol_list *l, const char *msg)
{
	if (l->n_errors == l->cap_errors) {
		size_t ncap = l->cap_errors ? 2 * l->cap_errors : 8;
		char **ne = realloc(l->errors, ncap * sizeof *ne);
		if (!ne)
			return BM_PROTOCOL_ERR_NOMEM;
		l->errors = ne;
		l->cap_errors = ncap;
	}
	char *copy = strdup(msg);
	if (!copy)
		return BM_PROTOCOL_ERR_NOMEM;
	l->errors[l->n_errors++] = copy;
	return BM_PROTOCOL_OK;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

/* Read the folder's protocol file names, sorted.  *names NULL when the
 * folder does not exist. */
static int read_names(const char *dir, char ***names, size_t *n, char *msg, size_t msg_len)
{
	*names = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return BM_PROTOCOL_OK;
		if (msg)
			snprintf(msg, msg_len, "%s: %s", dir, strerror(errno));
		return BM_PROTOCOL_ERR_IO;
	}
	size_t cap = 0;
	char **v = NULL;
	int rc = BM_PROTOCOL_OK;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !has_suffix(e->d_name, BM_PROTOCOL_SUFFIX))
			continue;
		if (*n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			char **nv = realloc(v, ncap * sizeof *nv);
			if (!nv) {
				rc = BM_PROTOCOL_ERR_NOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		if (!(v[*n] = strdup(e->d_name))) {
			rc = BM_PROTOCOL_ERR_NOMEM;
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (rc) {
		for (size_t i = 0; i < *n; i++)
			free(v[i]);
		free(v);
		*n = 0;
		if (msg)
			snprintf(msg, msg_len, "%s: out of memory", dir);
		return rc;
	}
	if (*n)
		qsort(v, *n, sizeof *v, cmp_names);
	*names = v;
	return BM_PROTOCOL_OK;
}

/* Check a loaded file against the protocols already listed. */
static int clash(const struct bm_protocol_list *l, const struct bm_protocol *p, const char *path,
                 char *msg, size_t msg_len)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct bm_protocol *q = &l->items[i];
		if (strcmp(q->id, p->id) == 0) {
			snprintf(msg, msg_len, "%s: the id '%s' is taken by the built-in protocol '%s'; "
			         "rename the file", path, p->id, q->name);
			return 1;
		}
		if (strcasecmp(q->name, p->name) == 0) {
			snprintf(msg, msg_len, "%s:%d: duplicate name '%s': %s has it already", path,
			         p->name_line, p->name, q->builtin ? "a built-in protocol" : q->id);
			return 1;
		}
	}
	return 0;
}

int bm_protocol_list_load(const char *dir, struct bm_protocol_list **out, char *msg, size_t msg_len)
{
	char defdir[1024];
	if (msg && msg_len)
		msg[0] = '\0';
	if (!out)
		return BM_PROTOCOL_ERR_ARG;
	*out = NULL;
	struct bm_protocol_list *l = calloc(1, sizeof *l);
	if (!l)
		return BM_PROTOCOL_ERR_NOMEM;
	int rc = BM_PROTOCOL_OK;
	struct bm_protocol *p = malloc(sizeof *p);
	if (!p) {
		rc = BM_PROTOCOL_ERR_NOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < N_BUILTINS; i++) {
		if ((rc = bm_protocol_builtin(i, p)) || (rc = list_add(l, p)))
			goto cleanup;
	}
	if (!dir) {
		if (bm_protocol_dir(defdir, sizeof defdir) != BM_PROTOCOL_OK)
			goto cleanup; /* no HOME: the built-ins alone */
		dir = defdir;
	}
	char **names = NULL;
	size_t n_names = 0;
	if ((rc = read_names(dir, &names, &n_names, msg, msg_len)))
		goto cleanup;
	char line[4096 + 512]; /* a path and a reason */
	for (size_t i = 0; i < n_names && rc == BM_PROTOCOL_OK; i++) {
		char path[4096];
		int pn = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (pn < 0 || (size_t)pn >= sizeof path) {
			snprintf(line, sizeof line, "%s/%s: path too long", dir, names[i]);
			rc = list_error(l, line);
			continue;
		}
		int lrc = bm_protocol_load_file(path, p, line, sizeof line);
		if (lrc == BM_PROTOCOL_ERR_NOMEM)
			rc = lrc;
		else if (lrc != BM_PROTOCOL_OK || clash(l, p, path, line, sizeof line))
			rc = list_error(l, line);
		else
			rc = list_add(l, p);
	}
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	if (rc == BM_PROTOCOL_ERR_NOMEM && msg)
		snprintf(msg, msg_len, "%s: out of memory", dir);
cleanup:
	free(p);
	if (rc) {
		bm_protocol_list_free(l);
		return rc;
	}
	*out = l;
	return BM_PROTOCOL_OK;
}

void bm_protocol_list_free(struct bm_protocol_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_errors; i++)
		free(l->errors[i]);
	free(l->errors);
	free(l->items);
	free(l);
}

size_t bm_protocol_list_count(const struct bm_protocol_list *l)
{
	return l ? l->n : 0;
}

const struct bm_protocol *bm_protocol_list_get(const struct bm_protocol_list *l, size_t i)
{
	return l && i < l->n ? &l->items[i] : NULL;
}

const struct bm_protocol *bm_protocol_list_find(const struct bm_protocol_list *l, const char *key)
{
	if (!l || !key)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].id, key) == 0)
			return &l->items[i];
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->items[i].name, key) == 0)
			return &l->items[i];
	return NULL;
}

size_t bm_protocol_list_error_count(const struct bm_protocol_list *l)
{
	return l ? l->n_errors : 0;
}

const char *bm_protocol_list_error(const struct bm_protocol_list *l, size_t i)
{
	return l && i < l->n_errors ? l->errors[i] : NULL;
}

/* ---- norms ------------------------------------------------------------- */

enum bm_fatigue_norm bm_fatigue_norm_of(int reps)
{
	if (reps < 0)
		return BM_FATIGUE_UNKNOWN;
	if (reps < BM_FATIGUE_REPS_POOR_BELOW)
		return BM_FATIGUE_POOR;
	if (reps > BM_FATIGUE_REPS_GOOD_ABOVE)
		return BM_FATIGUE_GOOD;
	return BM_FATIGUE_AVERAGE;
}

const char *bm_fatigue_norm_name(enum bm_fatigue_norm n)
{
	switch (n) {
	case BM_FATIGUE_POOR: return "poor";
	case BM_FATIGUE_AVERAGE: return "average";
	case BM_FATIGUE_GOOD: return "good";
	default: return "unknown";
	}
}
