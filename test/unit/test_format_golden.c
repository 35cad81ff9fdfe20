/* Golden lines: the fnguard JSON format and OCSF of events that fill every
 * field, with stacks, escapes (quotes, backslashes, control bytes, '/') and
 * bytes that are not UTF-8 (KEY_hex siblings), compared byte for byte with
 * test/unit/golden/format.jsonl. A change of the formatter's code must not
 * change a byte of its output; a change of the format updates the file on
 * purpose: FNG_GOLDEN_WRITE=1 build/test/unit/test_format_golden rewrites it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "logging/format/format.h"
#include "logging/format/json_out.h"
#include "logging/format/jw.h"
#include "logging/format/ocsf.h"

#define GOLDEN "test/unit/golden/format.jsonl"
#define N_EVENTS 7

static void frame(struct fng_stack *st, const char *mod, const char *fn, uint64_t off, int with_id)
{
	struct fng_frame *f = &st->frames[st->n++];

	fng_strlcpy(f->module, mod, sizeof(f->module));
	fng_strlcpy(f->function, fn, sizeof(f->function));
	f->offset = off;
	if (with_id) {
		f->build_id_len = 20;
		for (unsigned i = 0; i < 20; i++)
			f->build_id[i] = (uint8_t)(0xa0 + i);
	}
}

static void proc(struct fng_event *ev)
{
	ev->pid = 4242;
	ev->ppid = 1;
	ev->uid = 993;
	strcpy(ev->comm, "python3");
	strcpy(ev->exe, "/usr/bin/python3.11");
	strcpy(ev->cmdline, "python3 -c print(\"a\\b\")\x01\xff tail/");
}

static void alerted_file(struct fng_event *ev, struct fng_stack *st)
{
	ev->time_ns = 1764850813123456789ull;
	ev->type = FNG_EV_FILE;
	ev->action = FNG_ACT_ALERTED;
	strcpy(ev->rule, "read_write_tmp");
	strcpy(ev->mode, "alert");
	strcpy(ev->syscall, "openat");
	strcpy(ev->path, "/tmp/a\xff" "b\x01\x1f\t\n\r\b\f\"\\/\x7f" "caf\xc3\xa9\xed\xa0\x80");
	strcpy(ev->path2, "/tmp/\xc0\xaf");
	ev->error = EACCES;
	ev->access = FNG_ACCESS_READ | FNG_ACCESS_WRITE | FNG_ACCESS_CREATE;
	strcpy(ev->reason, "outside the temp root");
	ev->fn_phase = FNG_FN_PHASE_INVOKE;
	strcpy(ev->request_id, "req-1");
	strcpy(ev->trace_id, "Root=1-\xfe");
	ev->count = 3;
	ev->first_ns = 1764850810000000000ull;
	proc(ev);
	frame(st, "libc.so.6", "__open64", 0x10f2a0, 1);
	frame(st, "python3.11", "bad\xfe\"name", 0x2a, 0);
	frame(st, "", "", 0x7fff12345678ull, 0);
	frame(st, "lib\xffx.so", "ok", 0, 1);
	st->end = FNG_STACK_BUDGET;
	ev->stack = st;
	ev->stack_end = FNG_STACK_BUDGET;
}

static void process_event(struct fng_event *ev)
{
	static const char argv[] = "sh\0-c\0echo \xff\"x\"\0\xc3\xa9";

	ev->time_ns = 1764850813000000001ull;
	ev->type = FNG_EV_PROCESS;
	ev->action = FNG_ACT_BLOCKED;
	ev->would = FNG_ACT_BLOCKED;
	strcpy(ev->rule, "create_child_process");
	strcpy(ev->mode, "block");
	strcpy(ev->syscall, "execve");
	strcpy(ev->path, "/bin/sh");
	memcpy(ev->argv, argv, sizeof(argv));
	ev->argc = 4;
	ev->image.source = FNG_IMAGE_EXE;
	ev->image.linkage = FNG_LINK_DYNAMIC;
	ev->image.build_id_len = 20;
	memset(ev->image.build_id, 0x5c, 20);
	strcpy(ev->image.path, "/usr/bin/dash");
	strcpy(ev->image.interp, "/lib64/ld-linux-x86-64.so.2");
	strcpy(ev->image.shebang, "/bin/sh -e\xff");
	ev->fn_phase = FNG_FN_PHASE_INIT;
	ev->stack_end = FNG_STACK_NO_SLOT;
	proc(ev);
}

static void dns_event(struct fng_event *ev)
{
	ev->time_ns = 1764850813999999999ull;
	ev->type = FNG_EV_DNS;
	strcpy(ev->syscall, "sendto");
	strcpy(ev->host, "evil\xff.example");
	strcpy(ev->qtype, "AAAA");
}

static void network_event(struct fng_event *ev, struct fng_stack *st)
{
	ev->time_ns = 1764850814000000000ull;
	ev->type = FNG_EV_NETWORK;
	ev->action = FNG_ACT_KILLED;
	strcpy(ev->rule, "outbound_connectivity");
	strcpy(ev->mode, "block");
	strcpy(ev->syscall, "connect");
	strcpy(ev->host, "example.com");
	strcpy(ev->ip, "2001:db8::1");
	ev->port = 443;
	strcpy(ev->protocol, "tcp");
	ev->confirmed = 1;
	strcpy(ev->input_path, "$.body[\"q\"]");
	strcpy(ev->match, "sql/union");
	strcpy(ev->excerpt, "UNION \x02SELECT");
	strcpy(ev->cls, "sqli");
	proc(ev);
	for (unsigned i = 0; i < FNG_STACK_FRAMES; i++) {
		char fn[32];
		snprintf(fn, sizeof(fn), "f%u\x1b", i);
		frame(st, "node", fn, 0x1000 + i, i % 2);
	}
	st->end = FNG_STACK_FRAME_LIMIT;
	ev->stack = st;
	ev->stack_end = FNG_STACK_FRAME_LIMIT;
}

static void build(unsigned i, struct fng_event *ev, struct fng_stack *st)
{
	memset(ev, 0, sizeof(*ev));
	memset(st, 0, sizeof(*st));
	switch (i) {
	case 0: alerted_file(ev, st); break;
	case 1: process_event(ev); break;
	case 2: dns_event(ev); break;
	case 3: network_event(ev, st); break;
	case 4:
		ev->time_ns = 1764850815000000000ull;
		ev->type = FNG_EV_LIFECYCLE;
		strcpy(ev->phase, "notice");
		strcpy(ev->message, "log sink file:/var/log/\xff: full");
		break;
	case 5:
		ev->time_ns = 1764850816000000000ull;
		ev->type = FNG_EV_FILE;
		break;
	default:
		ev->time_ns = 1764850817000000000ull;
		ev->type = FNG_EV_NETWORK;
		ev->action = FNG_ACT_ALLOWED;
		ev->own_dest = 1;
		strcpy(ev->ip, "127.0.0.1");
		ev->port = 9001;
		ev->fn_phase = FNG_FN_PHASE_INVOKE;
		strcpy(ev->request_id, "r\xff");
		break;
	}
}

/* Every event in both formats, with and without a Lambda function's
 * identity (which has a byte that is not UTF-8 in its log stream). */
static char *render_all(size_t *total)
{
	struct fng_function_info none = { 0 };
	struct fng_function_info fn = { .name = "fn", .version = "$LATEST", .region = "eu-west-1",
					.memory = "128", .log_group = "/aws/lambda/fn", .log_stream = "2026/\xff" };
	struct fng_ocsf_ctx oc;
	struct fng_event *ev = calloc(1, sizeof(*ev));
	struct fng_stack *st = calloc(1, sizeof(*st));
	char *all = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&all, &n);

	assert_non_null(ev);
	assert_non_null(st);
	assert_non_null(f);
	fng_ocsf_ctx_init(&oc);
	strcpy(oc.hostname, "host");
	strcpy(oc.run_id, "0123456789abcdef0123456789abcdef");
	for (unsigned i = 0; i < N_EVENTS; i++) {
		for (unsigned k = 0; k < 4; k++) {
			const struct fng_function_info *fi = k % 2 ? &fn : &none;
			char *out = NULL;
			size_t len = 0;
			build(i, ev, st);
			if (k < 2)
				assert_int_equal(fng_format_event(ev, fi, &out, &len), 0);
			else
				assert_int_equal(fng_ocsf_event(ev, fi, &oc, &out, &len), 0);
			assert_int_equal(strlen(out), len);
			fwrite(out, 1, len, f);
			free(out);
		}
	}
	fclose(f);
	free(ev);
	free(st);
	*total = n;
	return all;
}

static void golden(void **state)
{
	size_t n = 0, gn;
	autofree char *got = render_all(&n);
	autofree char *want = NULL;
	FILE *f;

	(void)state;
	if (getenv("FNG_GOLDEN_WRITE")) {
		f = fopen(GOLDEN, "w");
		assert_non_null(f);
		fwrite(got, 1, n, f);
		fclose(f);
	}
	f = fopen(GOLDEN, "r");
	assert_non_null(f);
	want = malloc(1 << 20);
	gn = fread(want, 1, 1 << 20, f);
	fclose(f);
	if (gn != n || memcmp(got, want, n) != 0) {
		size_t i = 0;
		while (i < n && i < gn && got[i] == want[i])
			i++;
		fail_msg("output differs from " GOLDEN " at byte %zu (got %zu bytes, want %zu): ...%.80s", i, n, gn,
			 got + (i > 20 ? i - 20 : 0));
	}
}

/* The writer's strings against json-c's (after the KEY_hex rewrite), for
 * every byte alone and between the pieces of multi-byte sequences. */
static void escapes_as_json_c(void **state)
{
	static const char *const pieces[] = { "", "\xc3\xa9", "\xe2\x82", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "/" };
	(void)state;
	for (unsigned b = 1; b < 256; b++) {
		for (unsigned p = 0; p < FNG_ARRAY_LEN(pieces); p++) {
			char s[16];
			autofree char *want = NULL, *got = NULL;
			size_t wn = 0, gn = 0;
			json_object *root = json_object_new_object();
			struct fng_jw w;

			snprintf(s, sizeof(s), "a%c%sz%c", (char)b, pieces[p], (char)b);
			json_object_object_add(root, "k", json_object_new_string(s));
			assert_int_equal(fng_json_finish(root, &want, &wn), 0);
			fng_jw_init(&w);
			fng_jw_cstr(&w, "k", s);
			assert_int_equal(fng_jw_finish(&w, &got, &gn), 0);
			if (gn != wn || memcmp(got, want, wn) != 0)
				fail_msg("byte %02x piece %u: got %s want %s", b, p, got, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden),
		cmocka_unit_test(escapes_as_json_c),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
