/* bm_records_cli.c - the records commands' shared messages; see
 * bm_records_cli.h. */
#include "bm_records_cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bm_recover.h"
#include "bm_sessions_dir.h"
#include "bm_sync.h"

int bm_records_cli_settings(const char *cmd, struct bm_settings *s, const char **db,
                            int need_readiness)
{
	char msg[1200];
	if (bm_settings_load(NULL, s, msg, sizeof msg) != BM_SETTINGS_OK) {
		int go_on = db && *db && !need_readiness;
		fprintf(stderr, "bridgemon %s: %s%s\n", cmd, msg,
		        go_on ? "; going on with --db and the defaults" : "");
		if (!go_on)
			return -1;
		s->db[0] = '\0';
		bm_readiness_params_default(&s->readiness);
		return 0;
	}
	if (db && !*db && s->db[0])
		*db = s->db;
	return 0;
}

const char *bm_records_cli_folder(const char *cmd, const char *given, char *buf, size_t len)
{
	char msg[600];
	const char *dir = given;
	if (!dir) {
		if (bm_sessions_dir(buf, len, msg, sizeof msg) != 0) {
			fprintf(stderr, "bridgemon %s: %s\n", cmd, msg);
			return NULL;
		}
		dir = buf;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "bridgemon %s: %s: cannot open the folder: %s\n", cmd, dir,
		        strerror(errno));
		return NULL;
	}
	closedir(d);
	return dir;
}

static void unreachable(const char *cmd, const char *why, const char *db, const char *dir)
{
	size_t n = dir ? bm_sync_waiting(dir, db) : 0;
	fprintf(stderr, "bridgemon %s: cannot reach the clinic database (%s): %zu recording%s "
	        "wait%s; run bridgemon sync when it is back\n", cmd, why, n, n == 1 ? "" : "s",
	        n == 1 ? "s" : "");
}

int bm_records_cli_open(const char *cmd, const char *db, const char *dir, struct bm_store **st)
{
	char msg[700];
	int rc = bm_store_open(db, st, msg, sizeof msg);
	if (rc == BM_STORE_OK)
		return 0;
	if (rc == BM_STORE_ERR_UNAVAILABLE)
		unreachable(cmd, msg, db, dir);
	else
		fprintf(stderr, "bridgemon %s: %s\n", cmd, msg);
	return -1;
}

int bm_records_cli_recover(const char *cmd, const char *dir)
{
	struct bm_recover_list l;
	char msg[1800];
	int failed = 0;
	if (bm_recover_dir(dir, NULL, &l, msg, sizeof msg) != BM_RECOVER_OK) {
		fprintf(stderr, "bridgemon %s: %s\n", cmd, msg);
		bm_recover_list_free(&l);
		return 1;
	}
	for (size_t i = 0; i < l.n; i++) {
		bm_recover_describe(&l.items[i], msg, sizeof msg);
		fprintf(stderr, "bridgemon %s: %s\n", cmd, msg);
		failed |= l.items[i].status != BM_RECOVER_REBUILT;
	}
	bm_recover_list_free(&l);
	return failed;
}

int bm_records_cli_sync(const char *cmd, struct bm_store *st, const char *db, const char *dir,
                        int rebuild, int verbose)
{
	struct bm_sync_opts o = {dir, NULL, db, NULL, rebuild};
	struct bm_sync_result res;
	int rc = bm_sync_run(st, &o, &res);
	for (size_t i = 0; i < res.n_problems; i++)
		fprintf(stderr, "bridgemon %s: %s\n", cmd, res.problems[i]);
	int out = res.failed || res.n_problems ? 1 : 0;
	if (rc == BM_STORE_ERR_UNAVAILABLE) {
		unreachable(cmd, res.stop_msg, db, dir);
		out = -1;
	} else if (rc != BM_STORE_OK) {
		fprintf(stderr, "bridgemon %s: %s\n", cmd, res.stop_msg);
		out = -1;
	} else if (rebuild) {
		fprintf(stderr, "bridgemon %s: rebuilt %s from %s: %zu session%s deleted, %zu "
		        "inserted%s\n", cmd, bm_store_where(st), dir, res.deleted,
		        res.deleted == 1 ? "" : "s", res.uploaded,
		        res.deleted > res.uploaded + res.failed
		            ? "; sessions from other stations or folders come back when they run "
		              "bridgemon sync"
		            : "");
	} else if (verbose) {
		printf("%zu recording%s uploaded to %s (%zu already there", res.uploaded,
		       res.uploaded == 1 ? "" : "s", bm_store_where(st), res.already);
		if (res.failed)
			printf(", %zu left out", res.failed);
		if (res.pain_restored)
			printf(", %zu pain entr%s restored from the pain log", res.pain_restored,
			       res.pain_restored == 1 ? "y" : "ies");
		printf(")\n");
	}
	if (!verbose && res.pain_restored && rc == BM_STORE_OK)
		fprintf(stderr, "bridgemon %s: %zu pain entr%s restored from the pain log\n", cmd,
		        res.pain_restored, res.pain_restored == 1 ? "y" : "ies");
	bm_sync_result_free(&res);
	return out;
}
