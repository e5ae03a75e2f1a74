// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of the command-line contract's tables and the JSON writer
 * (common/out/, common/opts.c): the option table gives each letter and
 * each long name one meaning; -o keys are checked when parsed; the JSON
 * writer refuses nesting it has no room for instead of writing past its
 * state, never writes half a record, and writes no number a double would
 * round.  TAP on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "opts.h"
#include "out/cli.h"
#include "out/json.h"
#include "types/types.h"

static int failures, tests;

static void ok(int cond, const char *what)
{
	tests++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tests, what);
	if (!cond)
		failures++;
}

static void option_table(void)
{
	int i, k, dup_letter = 0, dup_name = 0, missing = 0;

	for (i = 0; i < VM_OPT_NR; i++) {
		if (!vm_optdefs[i].name || !vm_optdefs[i].help)
			missing++;
		for (k = i + 1; k < VM_OPT_NR; k++) {
			if (vm_optdefs[i].letter && vm_optdefs[i].letter == vm_optdefs[k].letter)
				dup_letter++;
			if (vm_optdefs[i].name && vm_optdefs[k].name &&
			    !strcmp(vm_optdefs[i].name, vm_optdefs[k].name))
				dup_name++;
		}
	}
	ok(!missing, "every option has a long name and a help line");
	ok(!dup_letter, "no letter means two things");
	ok(!dup_name, "no long name means two things");
	ok(vm_optdefs[VM_OPT_SYSMAP].letter == 'm' && vm_optdefs[VM_OPT_OVERRIDE].letter == 'o',
	   "-m is the System.map and -o an override, for every program");
}

/* one parse into fresh options: 0 accepted, -1 refused */
static int parse(const char *arg, struct vm_opts *o)
{
	struct vm_err e;

	memset(o, 0, sizeof(*o));
	return vm_opts_add_override(o, arg, &e);
}

static void overrides(void)
{
	static const char *const good[] = {
		"kaslr=0x3bc00000", "kaslr=1000", "phys_base=-0x1000000", "vabits=57",
		"vabits=39", "nocache", "textonly", "novmcoreinfo", "nodwarf",
		"raw_base=0x0", "pgd=0x1000", "page_offset=0xffff888000000000",
		"kimage_voffset=0xffff800000000000", "phys_offset=0x40000000",
	};
	static const char *const bad[] = {
		"kasrl=0x1", "kaslr=zz", "kaslr=", "kaslr", "kaslr=0x", "kaslr= 1",
		"kaslr=1 ", "kaslr=0x1g", "vabits=99", "vabits=-48", "vabits=0x",
		"nocache=1", "textonly=", "=1", "", "KASLR=1", "kaslr=99999999999999999999",
	};
	const struct vm_override_key *k;
	struct vm_opts o;
	uint64_t v = 0;
	size_t i;
	int n_ok = 0, n_bad = 0, all = 0;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		n_ok += parse(good[i], &o) == 0;
	ok(n_ok == (int)(sizeof(good) / sizeof(good[0])), "well-formed -o values are accepted");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &o) == 0)
			printf("# accepted: '%s'\n", bad[i]);
		else
			n_bad++;
	}
	ok(n_bad == (int)(sizeof(bad) / sizeof(bad[0])),
	   "unknown keys, malformed and missing values, values of flags are refused");
	parse("phys_base=-0x1000000", &o);
	ok(vm_opt_u64(&o, "phys_base", &v) == 1 && v == (uint64_t)-0x1000000,
	   "a leading '-' gives the two's complement");
	memset(&o, 0, sizeof(o));
	vm_opts_add_override(&o, "kaslr=0x10", NULL);
	vm_opts_add_override(&o, "kaslr=0x20", NULL);
	ok(vm_opt_u64(&o, "kaslr", &v) == 1 && v == 0x20, "the last of one key wins");
	for (k = vm_override_keys; k->key; k++)
		all += k->help && (k->kind == VM_OVK_FLAG) == (k->arg == NULL);
	ok(all == (int)(k - vm_override_keys) && all >= 12,
	   "every -o key has help, and a value name exactly when it takes a value");
}

/* the writer's records, read back from a memory stream */
struct sink {
	char *buf;
	size_t len;
	FILE *f;
	struct vm_json j;
};

static void sink_open(struct sink *s)
{
	s->buf = NULL;
	s->len = 0;
	s->f = open_memstream(&s->buf, &s->len);
	vm_json_init(&s->j, s->f);
}

static const char *sink_text(struct sink *s)
{
	fflush(s->f);
	return s->buf ? s->buf : "";
}

static void sink_close(struct sink *s)
{
	vm_json_free(&s->j);
	fclose(s->f);
	free(s->buf);
}

static void json_writer(void)
{
	struct sink s;
	int i, r;

	sink_open(&s);
	vm_json_begin(&s.j);
	vm_json_ku64(&s.j, "small", 9007199254740992ull);
	vm_json_ku64(&s.j, "big", 9007199254740993ull);
	vm_json_ki64(&s.j, "neg", -9007199254740993ll);
	vm_json_kdec(&s.j, "ns", 5);
	vm_json_khex(&s.j, "addr", 0xffffffff81000000ull);
	vm_json_key(&s.j, "nan");
	vm_json_double(&s.j, 0.0 / 0.0);
	vm_json_kstr(&s.j, "s", "a\"b\\\n\x01\xff");
	r = vm_json_end(&s.j);
	ok(r == 0 && !strcmp(sink_text(&s),
	   "{\"small\":9007199254740992,\"big\":\"9007199254740993\","
	   "\"neg\":\"-9007199254740993\",\"ns\":\"5\",\"addr\":\"0xffffffff81000000\","
	   "\"nan\":null,"
	   "\"s\":\"a\\\"b\\\\\\n\\u0001\\u00ff\"}\n"),
	   "numbers: exact up to 2^53, strings beyond; 64-bit decimal strings; NaN null");
	if (r != 0 || strstr(sink_text(&s), "9007199254740993,"))
		printf("# got: %s", sink_text(&s));
	sink_close(&s);

	/* deeper than the writer can hold: refused, nothing written */
	sink_open(&s);
	vm_json_begin(&s.j);
	vm_json_key(&s.j, "v");
	for (i = 0; i < 3 * VM_JSON_DEPTH; i++)
		vm_json_arr_begin(&s.j);
	for (i = 0; i < 3 * VM_JSON_DEPTH; i++)
		vm_json_arr_end(&s.j);
	r = vm_json_end(&s.j);
	ok(r < 0 && vm_json_failed(&s.j) && !*sink_text(&s) &&
	   strstr(vm_json_why(&s.j), "deeper"),
	   "nesting past VM_JSON_DEPTH is refused: the record is dropped, not written");
	/* the next record is whole again */
	vm_json_begin(&s.j);
	vm_json_ku64(&s.j, "a", 1);
	r = vm_json_end(&s.j);
	ok(r == 0 && !strcmp(sink_text(&s), "{\"a\":1}\n"), "the writer recovers for the next record");
	sink_close(&s);

	/* room for a value of VM_NEST_MAX levels inside its record */
	sink_open(&s);
	vm_json_begin(&s.j);
	vm_json_key(&s.j, "value");
	for (i = 0; i < VM_NEST_MAX + 1; i++)
		vm_json_arr_begin(&s.j);
	for (i = 0; i < VM_NEST_MAX + 1; i++)
		vm_json_arr_end(&s.j);
	ok(vm_json_end(&s.j) == 0, "a value nesting VM_NEST_MAX deep fits in a record");
	sink_close(&s);

	/* an unclosed record is not written */
	sink_open(&s);
	vm_json_begin(&s.j);
	vm_json_key(&s.j, "o");
	vm_json_obj_begin(&s.j);
	ok(vm_json_end(&s.j) < 0 && !*sink_text(&s), "a record left open is not written");
	sink_close(&s);
}

static void int128(void)
{
	char b[48];
	int good = 0;

	vm_int128_format(0x8000000000000000ull, 0, true, false, b, sizeof(b));
	good += !strcmp(b, "-170141183460469231731687303715884105728");
	vm_int128_format(~0ull, ~0ull, false, false, b, sizeof(b));
	good += !strcmp(b, "340282366920938463463374607431768211455");
	vm_int128_format(~0ull, ~0ull, true, false, b, sizeof(b));
	good += !strcmp(b, "-1");
	vm_int128_format(0, 0, false, false, b, sizeof(b));
	good += !strcmp(b, "0");
	vm_int128_format(1, 2, false, true, b, sizeof(b));
	good += !strcmp(b, "0x10000000000000002");
	ok(good == 5, "128-bit integers: decimal both signs, extremes, zero, hex");
}

int main(void)
{
	option_table();
	overrides();
	json_writer();
	int128();
	printf("1..%d\n", tests);
	return failures != 0;
}
