/*
 * fuzz_protocol_main.c - runs the fuzz target without libFuzzer, so it runs
 * with any compiler on every build: every file of a corpus folder, then
 * ITERATIONS mutations of them (bit flips, bytes the format cares about,
 * cuts, splices) from a fixed seed, so a failure repeats.
 *
 *   fuzz_protocol CORPUS_DIR [ITERATIONS]
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SEEDS 256
#define BUF_CAP (1 << 16)

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint8_t *load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	uint8_t *b = malloc(BUF_CAP);
	if (!b)
		exit(2);
	*n = fread(b, 1, BUF_CAP, f);
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: fuzz_protocol CORPUS_DIR [ITERATIONS]\n");
		return 2;
	}
	long iters = argc > 2 ? atol(argv[2]) : 0;
	DIR *d = opendir(argv[1]);
	if (!d) {
		perror(argv[1]);
		return 2;
	}
	static uint8_t *seeds[MAX_SEEDS];
	static size_t lens[MAX_SEEDS];
	int n = 0;
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d)) != NULL && n < MAX_SEEDS) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
		seeds[n] = load(path, &lens[n]);
		LLVMFuzzerTestOneInput(seeds[n], lens[n]);
		n++;
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "%s: no corpus files\n", argv[1]);
		return 2;
	}
	static const uint8_t special[] = {'\n', '\r', '#', ':', '@', '%', '-', '.', ' ', 'x', 's',
	                                  '0', '9', '5', 0x00, 0xff, 0xc3};
	static const char *const words[] = {"set: ", "hold ", "reps ", "mvic ", "fatigue ", "left",
	                                    "both", "rest ", " min", " x20", "name: ", "exercise: "};
	uint8_t *buf = malloc(BUF_CAP);
	if (!buf)
		return 2;
	for (long it = 0; it < iters; it++) {
		int s = (int)(next() % (uint64_t)n);
		size_t len = lens[s];
		memcpy(buf, seeds[s], len);
		int edits = 1 + (int)(next() % 3);
		for (int k = 0; k < edits && len > 0; k++) {
			size_t at = next() % len;
			switch (next() % 6) {
			case 0: buf[at] ^= (uint8_t)(1u << (next() % 8)); break;
			case 1: buf[at] = special[next() % sizeof special]; break;
			case 2: len = at + 1; break;
			case 3: { /* a word of the format over the bytes there */
				const char *w = words[next() % (sizeof words / sizeof words[0])];
				size_t wl = strlen(w);
				if (at + wl > BUF_CAP)
					break;
				memcpy(buf + at, w, wl);
				if (at + wl > len)
					len = at + wl;
				break;
			}
			case 4: { /* a digit run: numbers near and past the limits */
				size_t k2 = 1 + next() % 5;
				for (size_t j = 0; j < k2 && at + j < len; j++)
					buf[at + j] = (uint8_t)('0' + next() % 10);
				break;
			}
			default: { /* splice another seed in */
				int o = (int)(next() % (uint64_t)n);
				if (lens[o] == 0)
					break;
				size_t from = next() % lens[o], l = 1 + next() % 48;
				if (from + l > lens[o])
					l = lens[o] - from;
				if (at + l > BUF_CAP)
					l = BUF_CAP - at;
				memcpy(buf + at, seeds[o] + from, l);
				if (at + l > len)
					len = at + l;
				break;
			}
			}
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("ok: %d corpus files and %ld mutations, no failure\n", n, iters);
	free(buf);
	for (int i = 0; i < n; i++)
		free(seeds[i]);
	return 0;
}
