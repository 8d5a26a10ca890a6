/*
 * fuzz_driver.c - runs a libFuzzer target without libFuzzer (any compiler):
 * the seed inputs given on the command line, then N mutations of them
 * (byte flips, inserted delimiters and digits, cuts, splices), from a fixed
 * seed so a failure repeats.  `meson test` runs this on every build; the
 * coverage-guided run with clang's libFuzzer is tests/fuzz/run_libfuzzer.sh.
 *
 *   fuzz_driver ITERATIONS SEED_FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng = 0x2545F4914F6CDD1Dull;

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
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc((size_t)len + 1);
	if (!b || fread(b, 1, (size_t)len, f) != (size_t)len)
		exit(2);
	fclose(f);
	*n = (size_t)len;
	return b;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fuzz_driver ITERATIONS SEED_FILE...\n");
		return 2;
	}
	long iters = atol(argv[1]);
	int nseeds = argc - 2;
	uint8_t **seeds = calloc((size_t)nseeds, sizeof *seeds);
	size_t *lens = calloc((size_t)nseeds, sizeof *lens);
	for (int i = 0; i < nseeds; i++) {
		seeds[i] = load(argv[2 + i], &lens[i]);
		LLVMFuzzerTestOneInput(seeds[i], lens[i]);
	}
	static const uint8_t special[] = {0x00, 0xFF, '\n', ',', '-', '.', '#', '1', '9', 'e', '"', '\r'};
	size_t cap = 1 << 16;
	uint8_t *buf = malloc(cap);
	for (long it = 0; it < iters; it++) {
		int s = (int)(next() % (uint64_t)nseeds);
		size_t n = lens[s] < cap ? lens[s] : cap;
		memcpy(buf, seeds[s], n);
		int edits = 1 + (int)(next() % 8);
		for (int e = 0; e < edits && n > 0; e++) {
			size_t at = next() % n;
			switch (next() % 5) {
			case 0: buf[at] ^= (uint8_t)(1u << (next() % 8)); break;
			case 1: buf[at] = special[next() % sizeof special]; break;
			case 2: buf[at] = (uint8_t)next(); break;
			case 3: n = at + 1; break; /* cut */
			case 4: { /* splice in a piece of another seed */
				int o = (int)(next() % (uint64_t)nseeds);
				if (lens[o] == 0)
					break;
				size_t from = next() % lens[o], len = 1 + next() % 64;
				if (from + len > lens[o])
					len = lens[o] - from;
				if (at + len > cap)
					len = cap - at;
				memcpy(buf + at, seeds[o] + from, len);
				if (at + len > n)
					n = at + len;
				break;
			}
			}
		}
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("ok: %ld mutated inputs from %d seeds, no failure\n", iters, nseeds);
	free(buf);
	for (int i = 0; i < nseeds; i++)
		free(seeds[i]);
	free(seeds);
	free(lens);
	return 0;
}
