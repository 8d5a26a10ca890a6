/*
 * bm_png.c - renderer frame to PNG with libpng's simplified write API.
 *
 * The frame is asked of SDL as RGB24, which every renderer can convert to,
 * so the bytes go to libpng as they are: no per-pixel code here.
 */
#include "bm_png.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>
#include <unistd.h>

#include <png.h>

int bm_png_write_rgb(const char *path, const uint8_t *rgb, int w, int h,
                     size_t stride)
{
	if (!path || !rgb || w <= 0 || h <= 0 || stride < (size_t)w * 3)
		return BM_PNG_ERR_ARG;

	/* Write beside the target, then rename: never a half file under
	 * the real name.  mkstemp creates the temporary file exclusively, so
	 * a link planted under its name is never followed. */
	size_t plen = strlen(path) + 32;
	char *tmp = malloc(plen);
	if (!tmp)
		return BM_PNG_ERR_NOMEM;
	snprintf(tmp, plen, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		fprintf(stderr, "bridgemon: cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			remove(tmp);
		}
		free(tmp);
		return BM_PNG_ERR_WRITE;
	}
	fchmod(fd, 0644);

	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)w;
	img.height = (png_uint_32)h;
	img.format = PNG_FORMAT_RGB;
	/* Row stride is counted in components; ours are one byte each. */
	int ok = png_image_write_to_stdio(&img, f, 0, rgb, (png_int_32)stride, NULL);
	const char *why = ok ? NULL : img.message;
	if (fclose(f) != 0 && !why)
		why = strerror(errno);
	if (!why && rename(tmp, path) != 0)
		why = strerror(errno);
	if (why) {
		fprintf(stderr, "bridgemon: cannot write %s: %s\n", path, why);
		remove(tmp);
		png_image_free(&img);
		free(tmp);
		return BM_PNG_ERR_WRITE;
	}
	png_image_free(&img);
	free(tmp);
	return BM_PNG_OK;
}

int bm_png_save_renderer(SDL_Renderer *renderer, const char *path)
{
	if (!renderer || !path)
		return BM_PNG_ERR_ARG;
	int w, h;
	if (SDL_GetRendererOutputSize(renderer, &w, &h) != 0 || w <= 0 || h <= 0) {
		fprintf(stderr, "bridgemon: cannot read the frame: %s\n", SDL_GetError());
		return BM_PNG_ERR_READ;
	}
	size_t stride = (size_t)w * 3;
	uint8_t *px = malloc(stride * (size_t)h);
	if (!px)
		return BM_PNG_ERR_NOMEM;
	if (SDL_RenderReadPixels(renderer, NULL, SDL_PIXELFORMAT_RGB24, px, (int)stride) != 0) {
		fprintf(stderr, "bridgemon: cannot read the frame: %s\n", SDL_GetError());
		free(px);
		return BM_PNG_ERR_READ;
	}
	int rc = bm_png_write_rgb(path, px, w, h, stride);
	free(px);
	return rc;
}
