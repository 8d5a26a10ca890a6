/* bm_picker.c - choosing the session's athlete; see bm_picker.h. */
#include "bm_picker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bm_picker_open(struct bm_picker *p, const char *const *names, size_t n,
                   size_t max_name_bytes)
{
	memset(p, 0, sizeof *p);
	bm_entry_text(&p->name, max_name_bytes);
	p->status = BM_PICKER_OPEN;
	if (!n)
		return 0;
	p->names = calloc(n, sizeof *p->names);
	if (!p->names)
		return -1;
	for (size_t i = 0; i < n; i++) {
		p->names[i] = strdup(names[i]);
		if (!p->names[i]) {
			bm_picker_free(p);
			p->status = BM_PICKER_OPEN;
			return -1;
		}
		p->n++;
	}
	return 0;
}

void bm_picker_free(struct bm_picker *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->names[i]);
	free(p->names);
	p->names = NULL;
	p->n = p->sel = 0;
	p->status = BM_PICKER_CLOSED;
}

void bm_picker_up(struct bm_picker *p)
{
	if (p->sel > 0)
		p->sel--;
}

void bm_picker_down(struct bm_picker *p)
{
	if (p->sel + 1 < p->n)
		p->sel++;
}

void bm_picker_type(struct bm_picker *p, const char *utf8)
{
	bm_entry_type(&p->name, utf8);
}

void bm_picker_backspace(struct bm_picker *p)
{
	bm_entry_backspace(&p->name);
}

enum bm_picker_status bm_picker_enter(struct bm_picker *p)
{
	if (p->status != BM_PICKER_OPEN)
		return p->status;
	if (p->name.text[strspn(p->name.text, " ")]) {
		if (bm_entry_enter(&p->name) != BM_ENTRY_DONE)
			return BM_PICKER_OPEN;
		snprintf(p->chosen, sizeof p->chosen, "%s", p->name.text);
		p->chosen_new = 1;
		return p->status = BM_PICKER_CHOSEN;
	}
	if (!p->n) {
		snprintf(p->name.msg, sizeof p->name.msg,
		         "no athletes yet: type a name, then Enter (Esc closes)");
		return BM_PICKER_OPEN;
	}
	snprintf(p->chosen, sizeof p->chosen, "%s", p->names[p->sel]);
	p->chosen_new = 0;
	return p->status = BM_PICKER_CHOSEN;
}

enum bm_picker_status bm_picker_escape(struct bm_picker *p)
{
	if (p->status == BM_PICKER_OPEN)
		p->status = BM_PICKER_CLOSED;
	return p->status;
}

size_t bm_picker_first_row(const struct bm_picker *p, size_t rows)
{
	if (!rows || p->n <= rows || p->sel < rows / 2)
		return 0;
	size_t first = p->sel - rows / 2;
	return first + rows > p->n ? p->n - rows : first;
}
