/*
 * bm_png.h - saving what the window shows as a PNG file.
 *
 * For `bridgemon demo --screenshot FILE.png` and the README's picture: the
 * frame is read back from the renderer and written as 8-bit RGB.  The file
 * is written beside its final name and renamed into place, so a failure
 * (disk full, killed) never leaves a truncated PNG under the asked-for name.
 *
 * libpng, not SDL2_image: libpng is the PNG reference library, already a
 * dependency of half the desktop (Debian's libpng-dev), and we only need
 * its write path; SDL2_image would bring a dozen loaders for one call, and
 * the tests read the file back with libpng's simplified API, a decoder
 * independent of the SDL code that made the pixels.
 */
#ifndef BM_PNG_H
#define BM_PNG_H

#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

/** Return codes.  0 is success, negatives are errors (logged once). */
enum bm_png_err {
	BM_PNG_OK = 0,
	BM_PNG_ERR_ARG = -1,   /**< NULL pointer, empty image */
	BM_PNG_ERR_NOMEM = -2, /**< out of memory */
	BM_PNG_ERR_READ = -3,  /**< the renderer would not give its pixels */
	BM_PNG_ERR_WRITE = -4, /**< the file could not be written or renamed */
};

/**
 * Write an RGB image (3 bytes per pixel, R first) to @p path.
 * @param rgb     top row first; must not be NULL.
 * @param w, h    size in pixels, both > 0.
 * @param stride  bytes from one row to the next (>= 3 * w).
 * @return BM_PNG_OK, BM_PNG_ERR_ARG, BM_PNG_ERR_WRITE (one line on stderr
 *         naming the file and the reason).
 */
int bm_png_write_rgb(const char *path, const uint8_t *rgb, int w, int h,
                     size_t stride);

/**
 * Read the renderer's current frame and write it to @p path.  Call after
 * drawing and before SDL_RenderPresent() (after presenting, the back buffer
 * of an accelerated renderer is undefined).  Whole output, output pixels
 * (a HiDPI window gives its full pixel size).
 * @return BM_PNG_OK, BM_PNG_ERR_ARG, BM_PNG_ERR_NOMEM, BM_PNG_ERR_READ,
 *         BM_PNG_ERR_WRITE.
 */
int bm_png_save_renderer(SDL_Renderer *renderer, const char *path);

#endif /* BM_PNG_H */
