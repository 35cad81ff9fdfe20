/* The collapsing rule of a baseline capture (docs/policy.md "Collapsing"):
 * recorded paths become a small, readable set of patterns. In order:
 *  1. per-request names become patterns: an all-digit component (pids,
 *     counters) and a UUID become "*"; a hex or digit tail after '-', '_'
 *     or '.' ("cache-3fa9c2e1") becomes "cache-*"; under a temp folder
 *     (/tmp, /var/tmp, /dev/shm) a name of 8 or more characters becomes
 *     "PREFIX-*" when it has a '-', "tmp*" when it starts with "tmp"
 *     (Python's tempfile), else "*" (extension kept);
 *  2. known trees collapse whole: site-packages, dist-packages,
 *     node_modules, lib/pythonX.Y, /usr/lib, /lib, /usr/local/lib,
 *     /usr/share/zoneinfo, /usr/share/locale, /etc/ssl, /proc/N;
 *  3. a folder two or more levels deep holding more than
 *     FNG_COLLAPSE_THRESHOLD entries becomes "folder/" + "**";
 *  4. entries another entry covers are dropped.
 * Pure. */
#include "policy/baseline/collapse.h"
#include "policy/allowlist.h"

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

	if (all_of(c, n, isdigit) || is_uuid(c, b)) {
		snprintf(out, outn, "*%.*s", (int)(is_uuid(c, b) ? e : 0), ext);
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

/* Step 1 and 2 on one path: out is the pattern. */
static void collapse_one(const char *path, char *out, size_t outn)
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
		if (tree && c[n] == '/') {
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
			if (i != j && v[j].path && v[i].path && fng_glob_match(v[j].path, v[i].path)) {
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

/* Step 3, once: 1 if something collapsed, 0 if not, -ENOMEM. */
static int collapse_crowded(struct fng_path_item *v, size_t n, size_t threshold)
{
	for (size_t i = 0; i < n; i++) {
		size_t pl = parent_len(v[i].path), count = 0;
		uint8_t phases = 0;
		char *dir;

		if (depth_of(v[i].path, pl) < 2)
			continue;
		for (size_t j = 0; j < n; j++)
			if (parent_len(v[j].path) == pl && strncmp(v[j].path, v[i].path, pl) == 0)
				count++;
		if (count <= threshold)
			continue;
		if (asprintf(&dir, "%.*s/" DSTAR, (int)pl, v[i].path) < 0)
			return -ENOMEM;
		for (size_t j = 0; j < n; j++)
			if (j != i && parent_len(v[j].path) == pl && strncmp(v[j].path, v[i].path, pl) == 0)
				phases |= v[j].phases;
		v[i].phases |= phases;
		free(v[i].path);
		v[i].path = dir; /* normalise() drops the rest, now covered */
		return 1;
	}
	return 0;
}

int fng_collapse_paths(struct fng_path_item *v, size_t *n, size_t threshold)
{
	char buf[4096];
	int r;

	for (size_t i = 0; i < *n; i++) {
		char *c;
		collapse_one(v[i].path, buf, sizeof(buf));
		if (strcmp(buf, v[i].path) == 0)
			continue;
		c = strdup(buf);
		if (!c)
			return -ENOMEM;
		free(v[i].path);
		v[i].path = c;
	}
	normalise(v, n);
	while ((r = collapse_crowded(v, *n, threshold)) > 0)
		normalise(v, n);
	return r;
}
