/*
 * bm_athlete_ctx.h - the athlete a live session belongs to, as the store
 * knows them: found or created by name, with their injured side, body
 * mass and latest maximal test (MVIC), so that zones can be a % of it;
 * and what the session adds (pain scores, a new MVIC).
 *
 * The store is an index, never the only copy: every recording keeps the
 * athlete's name in its sidecar.  A store that cannot be opened (locked,
 * damaged, a clinic server away) gives one line and the session goes on
 * without it.
 */
#ifndef BM_ATHLETE_CTX_H
#define BM_ATHLETE_CTX_H

#include <stddef.h>

#include "bm_meta.h"
#include "bm_mvic.h"

struct bm_store;

struct bm_athlete_ctx;
struct bm_store;
struct bm_store_athlete;

/**
 * Open the store @p db (NULL: the default SQLite file) and find or create
 * @p name.  On a store error, @p msg says so in one line and the context
 * still works with the name alone.
 * @return 0 (found or created), 1 (no store: name only), -1 out of memory.
 */
int bm_athlete_ctx_open(const char *db, const char *name, struct bm_athlete_ctx **out, char *msg,
                        size_t msg_len);

void bm_athlete_ctx_free(struct bm_athlete_ctx *c);

/** The athlete's name as the store spells it (else as given). */
const char *bm_athlete_ctx_name(const struct bm_athlete_ctx *c);

/** The open store (NULL: none), and the athlete's row in it (NULL then);
 *  borrowed, valid until bm_athlete_ctx_free(). */
struct bm_store *bm_athlete_ctx_store(const struct bm_athlete_ctx *c);
const struct bm_store_athlete *bm_athlete_ctx_row(const struct bm_athlete_ctx *c);

/** The athlete's latest MVIC (all NaN without one, or without a store). */
void bm_athlete_ctx_mvic(const struct bm_athlete_ctx *c, struct bm_mvic *out);

/** Fill the sidecar's context: name, id, injured side, body mass. */
void bm_athlete_ctx_fill_meta(const struct bm_athlete_ctx *c, struct bm_meta_context *ctx);

/** Keep a pain score (0-10) of @p when ("before", "after") for the
 *  recording @p recording (file name, may be NULL).  0, or -1 (msg). */
int bm_athlete_ctx_add_pain(struct bm_athlete_ctx *c, double score, const char *when,
                            const char *recording, char *msg, size_t msg_len);

/** Keep a new MVIC result.  0, or -1 (msg). */
int bm_athlete_ctx_add_mvic(struct bm_athlete_ctx *c, const struct bm_mvic *m,
                            const char *recording, char *msg, size_t msg_len);

#endif
