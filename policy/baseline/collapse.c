/* The collapsing rule of a baseline capture (docs/policy.md "Collapsing"):
 * recorded paths become a small, readable set of patterns. In order:
 *  1. per-request names become patterns: an all-digit component (pids,
 *     counters), a UUID and a long hex id (16+ hex digits) become "*"; a hex or digit tail after '-', '_'
 *     or '.' ("cache-3fa9c2e1") becomes "cache-*"; under a temp folder
 *     (/tmp, /var/tmp, /dev/shm) a name of 8 or more characters becomes
 *     "PREFIX-*" when it has a '-', "tmp*" when it starts with "tmp"
 *     (Python's tempfile), else "*" (extension kept);
 *  2. known trees collapse whole: site-packages, dist-packages,
 *     node_modules, lib/pythonX.Y, /usr/lib, /lib, /usr/local/lib,
 *     /usr/share/zoneinfo, /usr/share/locale, /etc/ssl, /proc/N;
 *  3. a folder two or more levels deep holding more than
 *     FNG_COLLAPSE_THRESHOLD entries becomes "folder/" + "**";
 *  4. entries another entry covers are dropped (pattern inclusion,
 *     globrel.c).
 * Writes are learnt more narrowly (docs/policy.md "Collapsing"): step 2
 * never applies, step 3 makes folder/'*' (never "**", never a folder
 * above), and a write where code is loaded from (fng_collapse_code_place)
 * stays exactly as seen. Pure. */
#include "policy/baseline/collapse.h"
#include "policy/allowlist.h"
#include "policy/baseline/globrel.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DSTAR "**"

static bool all_of(const char *s, size_t n, int (*pred)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!pred((unsigned char)s[i]))
			return false;
	return n > 0;
}

static bool has_digit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)s[i]))
			return true;
	return false;
}

static bool is_uuid(const char *s, size_t n)
{
	static const size_t dash[] = { 8, 13, 18, 23 };
	if (n != 36)
		return false;
	for (size_t i = 0, d = 0; i < n; i++) {
		if (d < 4 && i == dash[d]) {
			if (s[i] != '-')
				return false;
			d++;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

/* A machine-made id as a whole name: FNG_COLLAPSE_HEX_MIN or more hex
 * digits, at least one a digit (container ids in /sys/fs/cgroup, hashes). */
static bool is_long_hex(const char *s, size_t n)
{
	return n >= FNG_COLLAPSE_HEX_MIN && all_of(s, n, isxdigit) && has_digit(s, n);
}

/* Length of a trailing ".ext" (1 to 5 letters), 0 if none. */
static size_t ext_len(const char *c, size_t n)
{
	for (size_t i = n; i > 0 && n - i <= 5; i--) {
		if (c[i - 1] == '.')
			return i - 1 > 0 && n - i > 0 && all_of(c + i, n - i, isalpha) ? n - i + 1 : 0;
	}
	return 0;
}

void fng_collapse_component(const char *c, size_t n, bool in_tmp, char *out, size_t outn)
{
	size_t e = ext_len(c, n), b = n - e; /* base and extension */
	const char *ext = c + b;

	if (all_of(c, n, isdigit) || is_uuid(c, b) || is_long_hex(c, b)) {
		snprintf(out, outn, "*%.*s", (int)(all_of(c, n, isdigit) ? 0 : e), ext);
		return;
	}
	if (in_tmp && b >= 8) {
		const char *dash = memrchr(c, '-', b);
		if (dash)
			snprintf(out, outn, "%.*s*%.*s", (int)(dash + 1 - c), c, (int)e, ext);
		else if (strncmp(c, "tmp", 3) == 0)
			snprintf(out, outn, "tmp*%.*s", (int)e, ext);
		else
			snprintf(out, outn, "*%.*s", (int)e, ext);
		return;
	}
	for (size_t i = b; i > 0; i--) {
		if (c[i - 1] == '-' || c[i - 1] == '_' || c[i - 1] == '.') {
			size_t tl = b - i;
			if (i > 1 && ((tl >= 6 && all_of(c + i, tl, isxdigit) && has_digit(c + i, tl)) ||
				      (tl >= 3 && all_of(c + i, tl, isdigit)))) {
				snprintf(out, outn, "%.*s*%.*s", (int)i, c, (int)e, ext);
				return;
			}
			break;
		}
	}
	snprintf(out, outn, "%.*s", (int)n, c);
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static bool in_tmp_root(const char *path)
{
	return under(path, "/tmp") || under(path, "/var/tmp") || under(path, "/dev/shm");
}

static const char *const known_prefixes[] = {
	"/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/usr/share/zoneinfo", "/usr/share/locale",
	"/etc/ssl", "/proc/*",
};

/* Step 1 and (trees) 2 on one path: out is the pattern. */
static void collapse_one(const char *path, bool trees, char *out, size_t outn)
{
	bool tmp = in_tmp_root(path);
	size_t used = 0;
	const char *p = path;

	out[0] = '\0';
	while (*p == '/') {
		const char *c = p + 1;
		size_t n = strcspn(c, "/");
		char comp[512];
		size_t cl;
		bool tree;

		if (n == 0) {
			p = c;
			continue;
		}
		fng_collapse_component(c, n, tmp && used > 0, comp, sizeof(comp));
		/* /tmp itself is never renamed: only what is under it. */
		if (tmp && used == 0)
			snprintf(comp, sizeof(comp), "%.*s", (int)n, c);
		used += (size_t)snprintf(out + used, used < outn ? outn - used : 0, "/%s", comp);
		if (used >= outn) {
			snprintf(out, outn, "%s", path);
			return;
		}
		cl = strlen(comp);
		tree = strcmp(comp, "site-packages") == 0 || strcmp(comp, "dist-packages") == 0 ||
		       strcmp(comp, "node_modules") == 0 ||
		       (strncmp(comp, "python", 6) == 0 && isdigit((unsigned char)comp[6]) &&
			((used >= cl + 5 && strncmp(out + used - cl - 5, "/lib/", 5) == 0) ||
			 (used >= cl + 7 && strncmp(out + used - cl - 7, "/lib64/", 7) == 0)));
		for (size_t i = 0; !tree && i < sizeof(known_prefixes) / sizeof(known_prefixes[0]); i++)
			tree = strcmp(out, known_prefixes[i]) == 0;
		if (trees && tree && c[n] == '/') {
			snprintf(out + used, outn - used, "/" DSTAR);
			return;
		}
		p = c + n;
	}
	if (!out[0])
		snprintf(out, outn, "/");
}

static int item_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fng_path_item *)a)->path, ((const struct fng_path_item *)b)->path);
}

/* Sort, merge duplicates (phases OR-ed), drop covered entries. */
static void normalise(struct fng_path_item *v, size_t *n)
{
	size_t w = 0;

	qsort(v, *n, sizeof(*v), item_cmp);
	for (size_t i = 0; i < *n; i++) {
		if (w && strcmp(v[w - 1].path, v[i].path) == 0) {
			v[w - 1].phases |= v[i].phases;
			free(v[i].path);
			continue;
		}
		v[w++] = v[i];
	}
	*n = w;
	for (size_t i = 0; i < *n; i++) {
		for (size_t j = 0; j < *n; j++) {
			/* A covering entry takes the covered one's phases. */
			if (i != j && v[j].path && v[i].path && fng_glob_includes(v[j].path, v[i].path)) {
				v[j].phases |= v[i].phases;
				free(v[i].path);
				v[i].path = NULL;
				break;
			}
		}
	}
	w = 0;
	for (size_t i = 0; i < *n; i++)
		if (v[i].path)
			v[w++] = v[i];
	*n = w;
}

/* The folder an entry sits in ("/a/b" for "/a/b/c" and for "/a/b/c/" DSTAR). */
static size_t parent_len(const char *p)
{
	size_t n = strlen(p);
	const char *s;

	if (n >= 3 && strcmp(p + n - 3, "/" DSTAR) == 0)
		n -= 3;
	s = memrchr(p, '/', n);
	return s ? (size_t)(s - p) : 0;
}

static size_t depth_of(const char *p, size_t n)
{
	size_t d = 0;
	for (size_t i = 0; i < n; i++)
		d += p[i] == '/';
	return d;
}

/* Where code is loaded from whatever the function says (layers, the task
 * root, the runtime, the system's libraries). */
static const char *const code_fixed[] = { "/opt", "/var/task", "/var/runtime", "/var/lang", "/usr/lib",
					  "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/etc/ld.so.preload" };

/* Would a write grant of pattern cover a root of code or a folder above
 * one? It would let the function rename that folder away and put its own
 * in its place (outside attack session: /a/'*' learnt from timestamped
 * files beside the code root /a/lib). */
static bool root_under_grant(const char *pattern, const char *root)
{
	char buf[4096];
	size_t n = strlen(root);

	if (root[0] != '/' || n >= sizeof(buf))
		return false;
	memcpy(buf, root, n + 1);
	for (size_t i = n; i > 1; i--) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (fng_glob_includes(pattern, buf))
			return true;
	}
	return false;
}

static bool grants_code_root(const char *pattern, const struct fng_code_roots *code)
{
	for (size_t i = 0; i < sizeof(code_fixed) / sizeof(code_fixed[0]); i++)
		if (root_under_grant(pattern, code_fixed[i]))
			return true;
	for (size_t i = 0; i < code->n; i++)
		if (root_under_grant(pattern, code->dirs[i]))
			return true;
	return false;
}

/* Step 3, once: 1 if something collapsed, 0 if not, -ENOMEM. Reads: the
 * crowded folder becomes folder/DSTAR; writes (code: the places code loads
 * from, left alone): folder/'*', the files right in it and nothing below. */
static int collapse_crowded(struct fng_path_item *v, size_t n, size_t threshold, const struct fng_code_roots *code)
{
	for (size_t i = 0; i < n; i++) {
		size_t pl = parent_len(v[i].path), count = 0;
		uint8_t phases = 0;
		char *dir;

		if (depth_of(v[i].path, pl) < 2 || (code && fng_collapse_code_place(v[i].path, code)))
			continue;
		for (size_t j = 0; j < n; j++)
			if (parent_len(v[j].path) == pl && strncmp(v[j].path, v[i].path, pl) == 0 &&
			    !(code && fng_collapse_code_place(v[j].path, code)))
				count++;
		if (count <= threshold)
			continue;
		if (asprintf(&dir, "%.*s/%s", (int)pl, v[i].path, code ? "*" : DSTAR) < 0)
			return -ENOMEM;
		if (code && grants_code_root(dir, code)) {
			free(dir);
			continue;
		}
		for (size_t j = 0; j < n; j++)
			if (j != i && fng_glob_includes(dir, v[j].path))
				phases |= v[j].phases;
		v[i].phases |= phases;
		free(v[i].path);
		v[i].path = dir; /* normalise() drops the rest, now covered */
		return 1;
	}
	return 0;
}

int fng_collapse_paths(struct fng_path_item *v, size_t *n, size_t threshold, const struct fng_code_roots *code)
{
	char buf[4096];
	int r;

	for (size_t i = 0; i < *n; i++) {
		char *c;
		if (code && fng_collapse_code_place(v[i].path, code))
			continue; /* a write where code loads from: exactly as seen */
		collapse_one(v[i].path, !code, buf, sizeof(buf));
		if (strcmp(buf, v[i].path) == 0 || (code && grants_code_root(buf, code)))
			continue;
		c = strdup(buf);
		if (!c)
			return -ENOMEM;
		free(v[i].path);
		v[i].path = c;
	}
	normalise(v, n);
	while ((r = collapse_crowded(v, *n, threshold, code)) > 0)
		normalise(v, n);
	return r;
}

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* A file name code is loaded from (or that changes what is loaded). */
static bool code_name(const char *c, size_t n)
{
	static const char *const exts[] = { ".py", ".pyc", ".pyo", ".pyd", ".pth", ".so", ".js", ".mjs", ".cjs",
					    ".node", ".wasm", ".jar", ".class", ".rb", ".pl", ".pm", ".php" };

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (has_suffix(c, n, exts[i]))
			return true;
	/* libfoo.so.1.2, sitecustomize*, usercustomize* */
	return memmem(c, n, ".so.", 4) || (n >= 13 && strncmp(c, "sitecustomize", 13) == 0) ||
	       (n >= 13 && strncmp(c, "usercustomize", 13) == 0);
}

/* A folder name that holds code: site-packages, node_modules, lib/pythonX. */
static bool code_folder(const char *path, const char *c, size_t n)
{
	static const char *const names[] = { "site-packages", "dist-packages", "node_modules", "__pycache__",
					     "lib-dynload" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n == strlen(names[i]) && memcmp(c, names[i], n) == 0)
			return true;
	return n > 6 && strncmp(c, "python", 6) == 0 && isdigit((unsigned char)c[6]) && c - path >= 4 &&
	       (strncmp(c - 4, "lib/", 4) == 0 || (c - path >= 6 && strncmp(c - 6, "lib64/", 6) == 0));
}

bool fng_collapse_code_place(const char *path, const struct fng_code_roots *code)
{
	for (size_t i = 0; i < sizeof(code_fixed) / sizeof(code_fixed[0]); i++)
		if (under(path, code_fixed[i]))
			return true;
	for (size_t i = 0; code && i < code->n; i++)
		if (code->dirs[i][0] == '/' && under(path, code->dirs[i]))
			return true;
	for (const char *p = path; *p == '/';) {
		const char *c = p + 1;
		size_t n = strcspn(c, "/");
		if (code_folder(path, c, n) || (!c[n] && code_name(c, n)))
			return true;
		p = c + n;
	}
	return false;
}
