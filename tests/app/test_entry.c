/*
 * test_entry.c - what the window types, without a window: a pain score
 * (digits, Backspace, 11 refused with a message, Esc skips), the queue of
 * pain questions, and the athlete picker (up/down, Enter, a typed name,
 * Esc, the rows shown around the highlight).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "app_suites.h"
#include "bm_entry.h"
#include "bm_pain_ask.h"
#include "bm_picker.h"

START_TEST(score_digits_and_backspace)
{
	struct bm_entry e;
	bm_entry_number(&e, 0, 10);
	bm_entry_type(&e, "7");
	ck_assert_str_eq(e.text, "7");
	bm_entry_backspace(&e);
	ck_assert_msg(e.text[0] == '\0', "Backspace left '%s'", e.text);
	bm_entry_backspace(&e); /* nothing to remove: no harm */
	bm_entry_type(&e, "4");
	ck_assert_int_eq(bm_entry_enter(&e), BM_ENTRY_DONE);
	ck_assert_msg(e.value == 4 && e.msg[0] == '\0', "value %d, message '%s'", e.value, e.msg);
	/* Keys after the answer change nothing. */
	bm_entry_type(&e, "9");
	ck_assert_str_eq(e.text, "4");
	ck_assert_int_eq(bm_entry_enter(&e), BM_ENTRY_DONE);
}
END_TEST

START_TEST(score_out_of_range_refused)
{
	struct bm_entry e;
	bm_entry_number(&e, 0, 10);
	bm_entry_type(&e, "11");
	ck_assert_str_eq(e.text, "11");
	ck_assert_int_eq(bm_entry_enter(&e), BM_ENTRY_OPEN);
	ck_assert_msg(strstr(e.msg, "11 is out of range") && strstr(e.msg, "0 to 10"),
	              "refusal says '%s'", e.msg);
	/* Still open: fix it and answer. */
	bm_entry_backspace(&e);
	bm_entry_backspace(&e);
	bm_entry_type(&e, "10");
	ck_assert_int_eq(bm_entry_enter(&e), BM_ENTRY_DONE);
	ck_assert_int_eq(e.value, 10);
	ck_assert_msg(e.msg[0] == '\0', "message left after the answer: '%s'", e.msg);
}
END_TEST

START_TEST(score_refuses_letters_and_empty)
{
	struct bm_entry e;
	bm_entry_number(&e, 0, 10);
	ck_assert_int_eq(bm_entry_enter(&e), BM_ENTRY_OPEN);
	ck_assert_msg(strstr(e.msg, "first"), "empty Enter says '%s'", e.msg);
	bm_entry_type(&e, "x-3.");
	ck_assert_msg(!strcmp(e.text, "3") && strstr(e.msg, "whole number"),
	              "typed '%s', message '%s'", e.text, e.msg);
	bm_entry_type(&e, "456"); /* two more digits fit (for "100"), a third not */
	ck_assert_msg(!strcmp(e.text, "345") && strstr(e.msg, "too many digits: type 0 to 10"),
	              "typed '%s', message '%s'", e.text, e.msg);
	ck_assert_int_eq(bm_entry_enter(&e), BM_ENTRY_OPEN);
	ck_assert_int_eq(bm_entry_escape(&e), BM_ENTRY_SKIPPED);
	ck_assert_int_eq(bm_entry_enter(&e), BM_ENTRY_SKIPPED);
}
END_TEST

START_TEST(name_entry_utf8)
{
	struct bm_entry e;
	bm_entry_text(&e, 8);
	bm_entry_type(&e, " Zo\xc3\xab");   /* " Zoë" */
	bm_entry_backspace(&e);              /* the whole ë, not half of it */
	ck_assert_str_eq(e.text, " Zo");
	bm_entry_type(&e, "\xc3\xab\tX ");
	ck_assert_msg(!strcmp(e.text, " Zo\xc3\xabX "), "typed '%s'", e.text);
	bm_entry_type(&e, "long"); /* 8 bytes at most */
	ck_assert_msg(strlen(e.text) <= 8 && strstr(e.msg, "at most 8"), "typed '%s', '%s'", e.text,
	              e.msg);
	ck_assert_int_eq(bm_entry_enter(&e), BM_ENTRY_DONE);
	ck_assert_msg(!strncmp(e.text, "Zo\xc3\xabX", 5), "trimmed to '%s'", e.text);
	struct bm_entry b;
	bm_entry_text(&b, 20);
	bm_entry_type(&b, "   ");
	ck_assert_int_eq(bm_entry_enter(&b), BM_ENTRY_OPEN);
	ck_assert_msg(strstr(b.msg, "type a name"), "blank name says '%s'", b.msg);
}
END_TEST

START_TEST(pain_questions_in_order)
{
	struct bm_pain_ask a;
	struct bm_pain_answer ans;
	char prompt[128], hint[200];
	int refused;
	bm_pain_ask_init(&a);
	ck_assert_int_eq(bm_pain_ask_current(&a), BM_PAIN_Q_NONE);
	ck_assert_int_eq(bm_pain_ask_enter(&a, &ans), 0);
	bm_pain_ask_push(&a, BM_PAIN_Q_MORNING, "yesterday's session");
	bm_pain_ask_push(&a, BM_PAIN_Q_BEFORE, NULL);
	bm_pain_ask_push(&a, BM_PAIN_Q_BEFORE, NULL); /* not twice */
	ck_assert_int_eq((int)a.n, 2);
	bm_pain_ask_prompt(&a, prompt, sizeof prompt);
	ck_assert_str_eq(prompt, "pain this morning after yesterday's session, 0-10?");
	bm_pain_ask_type(&a, "3");
	ck_assert_int_eq(bm_pain_ask_enter(&a, &ans), 1);
	ck_assert_msg(ans.q == BM_PAIN_Q_MORNING && !ans.skipped && ans.score == 3,
	              "answer q %d skipped %d score %d", ans.q, ans.skipped, ans.score);
	bm_pain_ask_prompt(&a, prompt, sizeof prompt);
	ck_assert_str_eq(prompt, "pain now, 0-10?");
	ck_assert_msg(a.entry.text[0] == '\0', "the next question starts empty, not '%s'",
	              a.entry.text);
	bm_pain_ask_type(&a, "11");
	ck_assert_int_eq(bm_pain_ask_enter(&a, &ans), 0);
	bm_pain_ask_hint(&a, hint, sizeof hint, &refused);
	ck_assert_msg(refused && strstr(hint, "out of range"), "hint '%s' (refused %d)", hint,
	              refused);
	ck_assert_int_eq(bm_pain_ask_escape(&a, &ans), 1);
	ck_assert_msg(ans.q == BM_PAIN_Q_BEFORE && ans.skipped, "Esc skips the question");
	ck_assert_int_eq(bm_pain_ask_current(&a), BM_PAIN_Q_NONE);
	ck_assert_int_eq(bm_pain_ask_escape(&a, &ans), 0);
	bm_pain_ask_push(&a, BM_PAIN_Q_AFTER, NULL);
	bm_pain_ask_hint(&a, hint, sizeof hint, &refused);
	ck_assert_msg(!refused && strstr(hint, "Esc to skip"), "hint '%s'", hint);
	bm_pain_ask_type(&a, "0");
	ck_assert_int_eq(bm_pain_ask_enter(&a, &ans), 1);
	ck_assert_msg(ans.q == BM_PAIN_Q_AFTER && ans.score == 0, "pain after 0 is an answer");
}
END_TEST

START_TEST(picker_keys)
{
	const char *names[] = {"Ann", "Bo", "Cy"};
	struct bm_picker p;
	ck_assert_int_eq(bm_picker_open(&p, names, 3, 100), 0);
	bm_picker_up(&p);
	ck_assert_int_eq((int)p.sel, 0);
	bm_picker_down(&p);
	bm_picker_down(&p);
	bm_picker_down(&p);
	ck_assert_int_eq((int)p.sel, 2);
	bm_picker_up(&p);
	ck_assert_int_eq(bm_picker_enter(&p), BM_PICKER_CHOSEN);
	ck_assert_msg(!strcmp(p.chosen, "Bo") && !p.chosen_new, "chose '%s' (new %d)", p.chosen,
	              p.chosen_new);
	bm_picker_free(&p);

	/* A typed name wins over the highlight. */
	ck_assert_int_eq(bm_picker_open(&p, names, 3, 100), 0);
	bm_picker_type(&p, "Dee");
	bm_picker_backspace(&p);
	bm_picker_type(&p, "e ");
	ck_assert_int_eq(bm_picker_enter(&p), BM_PICKER_CHOSEN);
	ck_assert_msg(!strcmp(p.chosen, "Dee") && p.chosen_new, "chose '%s' (new %d)", p.chosen,
	              p.chosen_new);
	bm_picker_free(&p);

	/* An empty store: Enter asks for a name; Esc closes. */
	ck_assert_int_eq(bm_picker_open(&p, NULL, 0, 100), 0);
	ck_assert_int_eq(bm_picker_enter(&p), BM_PICKER_OPEN);
	ck_assert_msg(strstr(p.name.msg, "type a name"), "says '%s'", p.name.msg);
	ck_assert_int_eq(bm_picker_escape(&p), BM_PICKER_CLOSED);
	ck_assert_int_eq(bm_picker_enter(&p), BM_PICKER_CLOSED);
	bm_picker_free(&p);
}
END_TEST

START_TEST(picker_rows_follow_the_highlight)
{
	const char *names[20];
	char buf[20][8];
	for (int i = 0; i < 20; i++) {
		snprintf(buf[i], sizeof buf[i], "a%02d", i);
		names[i] = buf[i];
	}
	struct bm_picker p;
	ck_assert_int_eq(bm_picker_open(&p, names, 20, 100), 0);
	ck_assert_int_eq((int)bm_picker_first_row(&p, 8), 0);
	for (int i = 0; i < 10; i++)
		bm_picker_down(&p);
	size_t first = bm_picker_first_row(&p, 8);
	ck_assert_msg(first <= 10 && 10 < first + 8, "row 10 not among rows %zu..%zu", first,
	              first + 7);
	for (int i = 0; i < 30; i++)
		bm_picker_down(&p);
	ck_assert_int_eq((int)p.sel, 19);
	ck_assert_int_eq((int)bm_picker_first_row(&p, 8), 12);
	bm_picker_free(&p);
}
END_TEST

Suite *suite_entry(void)
{
	Suite *s = suite_create("entry");
	TCase *tc = tcase_create("entry");
	tcase_add_test(tc, score_digits_and_backspace);
	tcase_add_test(tc, score_out_of_range_refused);
	tcase_add_test(tc, score_refuses_letters_and_empty);
	tcase_add_test(tc, name_entry_utf8);
	tcase_add_test(tc, pain_questions_in_order);
	tcase_add_test(tc, picker_keys);
	tcase_add_test(tc, picker_rows_follow_the_highlight);
	suite_add_tcase(s, tc);
	return s;
}
