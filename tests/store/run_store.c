/*
 * run_store.c - Check runner for the store.
 *
 *   test_store       the API suite on SQLite, and the SQLite/address suite
 *   test_store pg    the API suite on PostgreSQL, and the PostgreSQL suite;
 *                    run under tests/store/with_pg.sh, which starts the
 *                    server and exports BM_TEST_PG_URI and friends
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_test.h"

int main(int argc, char **argv)
{
	int pg = argc > 1 && strcmp(argv[1], "pg") == 0;
	if (pg && (!getenv("BM_TEST_PG_URI") || !getenv("BM_PG_SOCKET_DIR"))) {
		fprintf(stderr, "test_store pg: no server: run it as "
		        "tests/store/with_pg.sh %s pg\n", argv[0]);
		return EXIT_FAILURE;
	}
	store_test_init(pg ? TARGET_PG : TARGET_SQLITE);
	SRunner *sr = srunner_create(suite_store_api());
	srunner_add_suite(sr, pg ? suite_store_pg() : suite_store_sqlite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	store_test_done();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
