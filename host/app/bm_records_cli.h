/*
 * bm_records_cli.h - what the records commands (history, sync, athlete,
 * pain, report) share on the command line: opening the store named by
 * --db, crash recovery and the folder's sync, each telling the user in one
 * line per event on stderr.  The records library never prints; this is
 * where its results become messages.
 */
#ifndef BM_RECORDS_CLI_H
#define BM_RECORDS_CLI_H

#include "bm_settings.h"
#include "bm_store.h"

/**
 * Read the settings file into @p s and pick the store: @p *db as given
 * (--db), else the file's `db`, else NULL (the default SQLite file).
 * A settings file that cannot be read or has a wrong line is one line; the
 * command goes on with the defaults only when it needs nothing from the
 * file (--db given and @p need_readiness 0).
 * @return 0, or -1 after that line (the caller exits with status 2).
 */
int bm_records_cli_settings(const char *cmd, struct bm_settings *s, const char **db,
                            int need_readiness);

/**
 * The recordings folder a command works on: @p given (the command's
 * argument), or NULL for the default sessions folder (its path written
 * into @p buf).  @return the folder, readable; or NULL after one line.
 */
const char *bm_records_cli_folder(const char *cmd, const char *given, char *buf, size_t len);

/**
 * Open the store @p db (NULL: the default SQLite file).  On failure one
 * line; a PostgreSQL server that cannot be reached says how many of the
 * recordings in @p dir (may be NULL) wait for it.
 * @return 0, or -1 (the caller exits with status 2).
 */
int bm_records_cli_open(const char *cmd, const char *db, const char *dir, struct bm_store **st);

/** Rebuild the summaries of unfinished recordings in @p dir, one line
 *  each.  @return 0, 1 when some could not be rebuilt. */
int bm_records_cli_recover(const char *cmd, const char *dir);

/**
 * Sync (or rebuild) @p dir into @p st, naming every recording left out.
 * @param verbose  also say what was uploaded (the sync command)
 * @return 0, 1 when recordings were left out, -1 when the store stopped
 *         the sync (the line is printed; the caller exits with status 2).
 */
int bm_records_cli_sync(const char *cmd, struct bm_store *st, const char *db, const char *dir,
                        int rebuild, int verbose);

#endif
