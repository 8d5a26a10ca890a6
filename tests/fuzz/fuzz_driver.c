/*
 * fuzz_driver.c - runs a libFuzzer target without libFuzzer (any compiler):
 * the seed inputs given on the command line, then N mutations of them
 * (byte flips, inserted delimiters and digits, cuts, splices), from a fixed
 * seed so a failure repeats.  `meson test` runs this on every build; the
 * coverage-guided run with clang's libFuzzer is tests/fuzz/run_libfuzzer.sh.
 * A folder stands for every file in it (a target's corpus folder, so an
 * input added there, such as a crash kept as a regression, runs too).
 *
 *   fuzz_driver ITERATIONS SEED_FILE_OR_FOLDER...
 */
#include <dirent.h>
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

static uint8_t **seeds;
static size_t *lens;
static int nseeds, capseeds;

static void add_seed(const char *path)
{
	if (nseeds == capseeds) {
		capseeds = capseeds ? 2 * capseeds : 16;
		seeds = realloc(seeds, (size_t)capseeds * sizeof *seeds);
		lens = realloc(lens, (size_t)capseeds * sizeof *lens);
		if (!seeds || !lens)
			exit(2);
	}
	seeds[nseeds] = load(path, &lens[nseeds]);
	nseeds++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of folder @p path, in name order (so runs repeat), or 0 when
 * @p path is not a folder. */
static int add_folder(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (!names || !(names[n] = malloc(strlen(path) + strlen(e->d_name) + 2)))
			exit(2);
		sprintf(names[n++], "%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		add_seed(names[i]);
		free(names[i]);
	}
	free(names);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fuzz_driver ITERATIONS SEED_FILE_OR_FOLDER...\n");
		return 2;
	}
	long iters = atol(argv[1]);
	for (int i = 2; i < argc; i++)
		if (!add_folder(argv[i]))
			add_seed(argv[i]);
	if (nseeds == 0) {
		fprintf(stderr, "fuzz_driver: no seed inputs in %s\n", argv[2]);
		return 2;
	}
	for (int i = 0; i < nseeds; i++)
		LLVMFuzzerTestOneInput(seeds[i], lens[i]);
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
