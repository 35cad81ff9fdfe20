/* Unit tests for read_handler's code set (policy/handler.c, handler_scan.c):
 * tables of _HANDLER names -> module names, file names -> code or data,
 * cache names, paths -> covered by the rules; and task-root layouts built
 * in a scratch directory -> the files the set holds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/handler.h"

#define MAXN 8

static void module_names_table(void **state)
{
	static const struct {
		const char *handler;
		const char *want[MAXN]; /* NULL-terminated */
	} rows[] = {
		{ "app.handler", { "app", "app/handler" } },
		{ "pkg.app.fn", { "pkg.app", "pkg", "pkg/app", "pkg/app/fn" } },
		{ "src/index.handler", { "src/index", "src/index/handler" } },
		{ "example.Hello::handleRequest", { "example", "example/Hello" } },
		{ "example.Hello", { "example", "example/Hello" } },
		{ "lambda_function.LambdaFunction::Handler.process",
		  { "lambda_function.LambdaFunction::Handler", "lambda_function", "lambda_function/LambdaFunction",
		    "lambda_function/LambdaFunction::Handler" } },
		{ "function.handler", { "function", "function/handler" } },
		{ "bootstrap", { "bootstrap" } },
		{ "../etc/passwd.x", { NULL } },
		{ "/abs/app.fn", { NULL } },
		{ "a/../b.fn", { NULL } },
		{ "a..b.fn", { "a..b", "a" } },
		{ ".hidden", { NULL } },
		{ "", { NULL } },
		{ "a.b.c.d.e.f.g.h.i.j.fn", { "a.b.c.d.e.f.g.h.i.j", "a", "a/b", "a/b/c", "a/b/c/d", "a/b/c/d/e",
					      "a/b/c/d/e/f", "a/b/c/d/e/f/g" } },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char names[MAXN][FNG_HANDLER_NAME_MAX];
		size_t n = fng_handler_module_names(rows[i].handler, names, MAXN), want = 0;
		while (want < MAXN && rows[i].want[want])
			want++;
		if (n != want)
			fail_msg("%s: %zu names, want %zu", rows[i].handler, n, want);
		for (size_t k = 0; k < n; k++)
			if (strcmp(names[k], rows[i].want[k]) != 0)
				fail_msg("%s: name %zu is %s, want %s", rows[i].handler, k, names[k], rows[i].want[k]);
	}
	assert_int_equal(fng_handler_module_names(NULL, NULL, 0), 0);
}

static void code_names_table(void **state)
{
	static const struct {
		const char *name;
		bool code;
	} rows[] = {
		{ "app.py", true },	   { "app.pyc", true },	    { "app.pyo", true },    { "index.js", true },
		{ "index.mjs", true },	   { "index.cjs", true },   { "addon.node", true }, { "function.rb", true },
		{ "function.sh", true },   { "Hello.class", true }, { "dep.jar", true },    { "_native.so", true },
		{ "bootstrap", true },	   { "data.json", false },  { "page.html", false }, { "template.j2", false },
		{ "README", false },	   { "Bootstrap", false },  { ".py", false },	    { "x.py.txt", false },
		{ "app.ts", false },	   { "package.json", false }, { "bootstrap.txt", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (fng_handler_code_name(rows[i].name) != rows[i].code)
			fail_msg("%s: code %d, want %d", rows[i].name, !rows[i].code, rows[i].code);
}

static void pyc_names_table(void **state)
{
	static const struct {
		const char *name, *module;
		bool match;
	} rows[] = {
		{ "app.cpython-311.pyc", "app", true },
		{ "app.cpython-311.opt-1.pyc", "app", true },
		{ "app.pyc", "app", true },
		{ "app.pyo", "app", true },
		{ "apple.cpython-311.pyc", "app", false },
		{ "ap.cpython-311.pyc", "app", false },
		{ "app.py", "app", false },
		{ "app.cpython-311.pyc.tmp", "app", false },
		{ ".pyc", "", false },
		{ "app.pyc", "", false },
		{ "__init__.cpython-311.pyc", "__init__", true },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (fng_handler_pyc_of(rows[i].name, rows[i].module) != rows[i].match)
			fail_msg("%s of %s: want %d", rows[i].name, rows[i].module, rows[i].match);
}

static void rules_match_table(void **state)
{
	struct fng_handler_rule rules[] = {
		{ .kind = FNG_HRULE_FILE, .path = "/t/bootstrap" },
		{ .kind = FNG_HRULE_TREE, .path = "/t/pkg" },
		{ .kind = FNG_HRULE_PYC, .path = "/t", .module = "app" },
		{ .kind = FNG_HRULE_PYC, .path = "/", .module = "top" },
	};
	struct fng_handler_set s = { .rules = rules, .n_rules = 4 };
	static const struct {
		const char *path;
		bool match;
	} rows[] = {
		{ "/t/bootstrap", true },
		{ "/t/bootstrap2", false },
		{ "/t/pkg/x.py", true },
		{ "/t/pkg/a/b/c.js", true },
		{ "/t/pkg/__pycache__/x.cpython-311.pyc", true },
		{ "/t/pkg", false },
		{ "/t/pkg/page.html", false },
		{ "/t/pkg/node_modules/dep/index.js", false },
		{ "/t/pkgx/a.py", false },
		{ "/t/app.pyc", true },
		{ "/t/__pycache__/app.cpython-311.pyc", true },
		{ "/t/__pycache__/other.cpython-311.pyc", false },
		{ "/t/sub/__pycache__/app.cpython-311.pyc", false },
		{ "/t/x/__pycache__/app.cpython-311.pyc", false },
		{ "/t/app.py", false },
		{ "/top.pyc", true },
		{ "/__pycache__/top.cpython-311.pyc", true },
		{ "/x/top.pyc", false },
		/* caches under any prefix: PREFIX + the module's folder */
		{ "/pc/t/app.cpython-311.pyc", true },
		{ "rel/t/app.cpython-311.pyc", true },
		{ "/pc/t/pkg/x.cpython-311.pyc", true },
		{ "/pc/t/pkg/sub/y.cpython-311.pyc", true },
		{ "/pc/t/other.cpython-311.pyc", false },
		{ "/pc/tx/app.cpython-311.pyc", false },
		{ "/pc/t/pkg/page.html", false },
		{ "/pc/t/pkg/x.py", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (fng_handler_rules_match(&s, rows[i].path) != rows[i].match)
			fail_msg("%s: want %d", rows[i].path, rows[i].match);
}

static void objects_sorted_and_unique(void **state)
{
	static const struct fng_object in[] = { { 3, 9 }, { 1, 5 }, { 3, 2 }, { 1, 5 }, { 2, 7 }, { 3, 9 } };
	struct fng_handler_set s = { 0 };
	(void)state;
	s.files = calloc(6, sizeof(*s.files));
	assert_non_null(s.files);
	for (size_t i = 0; i < 6; i++) {
		s.files[i].obj = in[i];
		s.files[i].path = strdup("p");
	}
	s.n_files = 6;
	fng_handler_sort(&s);
	assert_int_equal(s.n_files, 4);
	for (size_t i = 0; i < 6; i++)
		assert_true(fng_handler_has(&s, in[i].dev, in[i].ino));
	assert_false(fng_handler_has(&s, 1, 9));
	assert_false(fng_handler_has(&s, 3, 5));
	assert_false(fng_handler_has(&s, 0, 0));
	fng_handler_free(&s);
}

/* ------------------------------------------------------------ layouts */

/* Create entries under dir: "a/b" a file (its directories made), "a/" a
 * directory, "a*" an executable file, "a=TEXT" a file holding TEXT,
 * "a->T" a symlink to T. */
static void make_tree(const char *dir, const char *const *entries)
{
	for (size_t i = 0; entries[i]; i++) {
		char spec[PATH_MAX], path[PATH_MAX * 2];
		const char *text = "x\n";
		char *eq, *arrow;
		size_t len;
		bool exec = false;
		FILE *f;

		snprintf(spec, sizeof(spec), "%s", entries[i]);
		if ((arrow = strstr(spec, "->"))) {
			*arrow = '\0';
			snprintf(path, sizeof(path), "%s/%s", dir, spec);
			assert_int_equal(symlink(arrow + 2, path), 0);
			continue;
		}
		if ((eq = strchr(spec, '='))) {
			*eq = '\0';
			text = eq + 1;
		}
		len = strlen(spec);
		if (spec[len - 1] == '*') {
			spec[--len] = '\0';
			exec = true;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, spec);
		for (char *c = path + strlen(dir) + 1; *c; c++)
			if (*c == '/') {
				*c = '\0';
				mkdir(path, 0755);
				*c = '/';
			}
		if (spec[len - 1] == '/')
			continue;
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
		chmod(path, exec ? 0755 : 0644);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The set's paths relative to dir, sorted, joined with ' '. */
static void set_paths(const struct fng_handler_set *s, const char *dir, char *out, size_t n)
{
	const char *rel[64];
	size_t k = 0, len = 0, dl = strlen(dir);

	assert_true(s->n_files <= 64);
	for (size_t i = 0; i < s->n_files; i++)
		rel[k++] = strncmp(s->files[i].path, dir, dl) == 0 ? s->files[i].path + dl + 1 : s->files[i].path;
	qsort(rel, k, sizeof(rel[0]), cmp_str);
	out[0] = '\0';
	for (size_t i = 0; i < k; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s", i ? " " : "", rel[i]);
}

static void rm_tree(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static const struct layout {
	const char *name;
	const char *handler;
	const char *const entries[16];
	const char *want; /* relative paths, sorted, ' '-joined */
} layouts[] = {
	{ "python module and its caches", "app.handler",
	  { "app.py", "__pycache__/app.cpython-311.pyc", "__pycache__/other.cpython-311.pyc", "app.pyc", "other.py",
	    "data.json" },
	  "__pycache__/app.cpython-311.pyc app.py app.pyc" },
	{ "python package", "pkgapp.handler",
	  { "pkgapp/__init__.py", "pkgapp/m.py", "pkgapp/t.html", "pkgapp/__pycache__/m.cpython-311.pyc",
	    "pkgapp/sub/deep.py", "pkgapp/node_modules/dep/x.js", "app.py" },
	  "pkgapp/__init__.py pkgapp/__pycache__/m.cpython-311.pyc pkgapp/m.py pkgapp/sub/deep.py" },
	{ "python module in a package", "pkg.app.handler",
	  { "pkg/__init__.py", "pkg/app.py", "pkg/templates/a.html", "lib.py" },
	  "pkg/__init__.py pkg/app.py" },
	{ "node directory module, package.json main", "app.handler",
	  { "app/package.json={\"main\": \"lib/main.js\"}", "app/lib/main.js", "app/index.js", "app/data.json",
	    "node_modules/dep/index.js" },
	  "app/index.js app/lib/main.js" },
	{ "node main outside the directory", "web.handler",
	  { "web/package.json={\"main\": \"../shared/entry\"}", "shared/entry.js", "web/index.mjs" },
	  "shared/entry.js web/index.mjs" },
	{ "node module files", "index.handler", { "index.mjs", "index.cjs", "index.json", "other.js" },
	  "index.cjs index.mjs" },
	{ "shell handler and bootstrap", "function.handler", { "function.sh", "bootstrap*", "data.json" },
	  "bootstrap function.sh" },
	{ "shell handler without extension", "function.handler", { "function*", "README" }, "function" },
	{ "a data file named like the handler", "function.handler", { "function", "README" }, "" },
	{ "ruby", "lambda_function.LambdaFunction::Handler.process",
	  { "lambda_function.rb", "lib/util.rb", "lib/notes.txt", "Gemfile" }, "lambda_function.rb lib/util.rb" },
	{ "java with ::", "example.Hello::handleRequest",
	  { "example/Hello.class", "example/Util.class", "lib/dep.jar", "lib/notes.txt", "config.json" },
	  "example/Hello.class example/Util.class lib/dep.jar" },
	{ "java class without ::", "example.Hello", { "example/Hello.class", "lib/dep.jar" },
	  "example/Hello.class lib/dep.jar" },
	{ "go bootstrap", "main", { "bootstrap*", "config.yaml" }, "bootstrap" },
	{ "symlinks: a file is its target, a directory is not entered", "pkgapp.handler",
	  { "real.py", "elsewhere/x.py", "pkgapp/__init__.py", "pkgapp/link.py->../real.py",
	    "pkgapp/dirlink->../elsewhere" },
	  "pkgapp/__init__.py pkgapp/link.py" },
	{ "nothing there", "missing.handler", { "data.json" }, "" },
};

static void layouts_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		const struct layout *l = &layouts[i];
		char tmpl[] = "/tmp/fng-handler-test.XXXXXX", dir[PATH_MAX], got[4096];
		struct fng_handler_set s;

		assert_non_null(mkdtemp(tmpl));
		assert_non_null(realpath(tmpl, dir));
		make_tree(dir, l->entries);
		assert_int_equal(fng_handler_build(&s, l->handler, dir, NULL, 0), 0);
		set_paths(&s, dir, got, sizeof(got));
		if (strcmp(got, l->want) != 0)
			fail_msg("%s: got [%s], want [%s]", l->name, got, l->want);
		assert_false(s.truncated);
		fng_handler_free(&s);
		rm_tree(dir);
	}
}

/* The policy's "handler" paths: a file, and a directory taken as code. */
static void policy_paths(void **state)
{
	static const char *const entries[] = { "app.py", "extra/a.py", "extra/b.txt", "one.txt", NULL };
	char tmpl[] = "/tmp/fng-handler-test.XXXXXX", dir[PATH_MAX], got[4096], a[PATH_MAX], b[PATH_MAX];
	char *extras[2] = { a, b };
	struct fng_handler_set s;
	(void)state;

	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, dir));
	make_tree(dir, entries);
	snprintf(a, sizeof(a), "%s/extra", dir);
	snprintf(b, sizeof(b), "%s/one.txt", dir);
	assert_int_equal(fng_handler_build(&s, NULL, NULL, extras, 2), 0);
	set_paths(&s, dir, got, sizeof(got));
	assert_string_equal(got, "extra/a.py one.txt");
	fng_handler_free(&s);
	/* Nothing found: the notice names every candidate. */
	assert_int_equal(fng_handler_build(&s, "missing.handler", dir, NULL, 0), 0);
	assert_int_equal(s.n_files, 0);
	snprintf(a, sizeof(a), "%s/missing{.py,", dir);
	assert_non_null(strstr(s.looked_for, a));
	snprintf(a, sizeof(a), "%s/bootstrap", dir);
	assert_non_null(strstr(s.looked_for, a));
	fng_handler_free(&s);
	rm_tree(dir);
}

/* Python writes __pycache__ at import: a refresh adds what appeared. */
static void refresh_adds_caches(void **state)
{
	static const char *const before[] = { "app.py", NULL };
	static const char *const after[] = { "__pycache__/app.cpython-311.pyc", "__pycache__/x.cpython-311.pyc", NULL };
	char tmpl[] = "/tmp/fng-handler-test.XXXXXX", dir[PATH_MAX], got[4096];
	struct fng_handler_set s;
	(void)state;

	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, dir));
	make_tree(dir, before);
	assert_int_equal(fng_handler_build(&s, "app.handler", dir, NULL, 0), 0);
	set_paths(&s, dir, got, sizeof(got));
	assert_string_equal(got, "app.py");
	make_tree(dir, after);
	assert_int_equal(fng_handler_refresh(&s), 0);
	set_paths(&s, dir, got, sizeof(got));
	assert_string_equal(got, "__pycache__/app.cpython-311.pyc app.py");
	fng_handler_free(&s);
	rm_tree(dir);
}

/* Deeper than FNG_HANDLER_MAX_DEPTH: not walked, and the set says so. */
static void depth_bound(void **state)
{
	char tmpl[] = "/tmp/fng-handler-test.XXXXXX", dir[PATH_MAX], deep[PATH_MAX], entry[PATH_MAX];
	const char *entries[3] = { "pkg/__init__.py", entry, NULL };
	struct fng_handler_set s;
	size_t len = 0;
	(void)state;

	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, dir));
	for (int i = 0; i <= FNG_HANDLER_MAX_DEPTH; i++)
		len += (size_t)snprintf(deep + len, sizeof(deep) - len, "d%d/", i);
	snprintf(entry, sizeof(entry), "pkg/%sdeep.py", deep);
	make_tree(dir, entries);
	assert_int_equal(fng_handler_build(&s, "pkg.handler", dir, NULL, 0), 0);
	assert_int_equal(s.n_files, 1);
	assert_true(s.truncated);
	/* The rules still name the deep file. */
	snprintf(entry, sizeof(entry), "%s/pkg/%sdeep.py", dir, deep);
	assert_true(fng_handler_rules_match(&s, entry));
	fng_handler_free(&s);
	rm_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(module_names_table),
		cmocka_unit_test(code_names_table),
		cmocka_unit_test(pyc_names_table),
		cmocka_unit_test(rules_match_table),
		cmocka_unit_test(objects_sorted_and_unique),
		cmocka_unit_test(layouts_table),
		cmocka_unit_test(refresh_adds_caches),
		cmocka_unit_test(policy_paths),
		cmocka_unit_test(depth_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
