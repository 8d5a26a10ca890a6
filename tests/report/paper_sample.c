/*
 * paper_sample.c - writes the synthetic report (tests/report/paper_fixture)
 * to the files named on the command line, so a person can look at the
 * pages: `paper_sample /tmp/paper-sample.pdf /tmp/paper-sample.png`.
 * Dates print in UTC, as in the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bm_paper.h"
#include "paper_fixture.h"

int main(int argc, char **argv)
{
	struct paper_fixture f;
	char msg[256];
	int rc = EXIT_SUCCESS;

	if (argc < 2) {
		fprintf(stderr, "usage: paper_sample OUT.pdf|.png|.svg...\n");
		return 1;
	}
	setenv("TZ", "UTC", 1);
	tzset();
	if (paper_fixture_init(&f, 1) != 0) {
		fprintf(stderr, "paper_sample: out of memory\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (bm_paper_write(argv[i], &f.doc, msg, sizeof msg) != BM_PAPER_OK) {
			fprintf(stderr, "paper_sample: %s\n", msg);
			rc = 3;
		}
	}
	paper_fixture_free(&f);
	paper_fixture_drop_caches();
	return rc;
}
