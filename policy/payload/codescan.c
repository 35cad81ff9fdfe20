/* The code check's scan (payload.h): every code file below a directory,
 * read whole (within the bounds) and searched with each rule; a finding
 * names file:line and the rule. Code files are known by their extension or,
 * without one of those, by a "#!" first line. Bounded in files, bytes,
 * directory depth and time; a bound hit is a finding of its own, so a
 * caller that blocks refuses to start rather than trust a partial scan. */
#include "policy/payload/payload.h"
#include "common/clock.h"
#include "common/util.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Source files an interpreter or a build could run. */
static const char *const code_exts[] = {
	".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx", ".rb", ".php", ".pl", ".pm",
	".sh", ".bash", ".lua", ".java", ".kt", ".groovy", ".go", ".cs", ".ps1",
};

struct cscan {
	const struct fng_payload_cfg *cfg;
	fng_code_finding_fn fn;
	void *arg;
	uint64_t bytes, deadline_ns;
	uint32_t files, entries;
	int found;
	bool stop;
	int err;
};

bool fng_code_is_code_name(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < FNG_ARRAY_LEN(code_exts); i++) {
		size_t e = strlen(code_exts[i]);
		if (n > e && strcmp(name + n - e, code_exts[i]) == 0)
			return true;
	}
	return false;
}

static void report(struct cscan *c, struct fng_code_finding *f)
{
	c->found++;
	if (!c->fn(f, c->arg))
		c->stop = true;
}

__attribute__((format(printf, 3, 4))) static void limit_hit(struct cscan *c, const char *where, const char *fmt, ...)
{
	struct fng_code_finding f = { .limit = true, .rule = FNG_CODE_NO_RULE };
	va_list ap;

	fng_strlcpy(f.file, where, sizeof(f.file));
	va_start(ap, fmt);
	vsnprintf(f.match, sizeof(f.match), fmt, ap);
	va_end(ap);
	report(c, &f);
	c->stop = true; /* past a bound nothing more is read */
}

static unsigned line_of(const char *buf, size_t off)
{
	unsigned line = 1;

	for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + off - p))); p++)
		line++;
	return line;
}

static void scan_buf(struct cscan *c, const char *path, const char *buf, size_t len)
{
	const struct fng_rx_set *rules = &c->cfg->rules;
	size_t first = 0;
	struct fng_rx_hit h;
	enum fng_rx_result r;

	while (!c->stop && (r = fng_rx_match_from(rules, first, buf, len, &h)) != FNG_RX_NONE) {
		struct fng_code_finding f = { .rule = h.pattern };
		if (r == FNG_RX_ERROR) {
			c->err = -ENOMEM;
			c->stop = true;
			return;
		}
		fng_strlcpy(f.file, path, sizeof(f.file));
		f.limit = r == FNG_RX_LIMIT;
		f.line = f.limit ? 0 : line_of(buf, h.start);
		snprintf(f.match, sizeof(f.match), "%s", rules->pats[h.pattern].src);
		report(c, &f);
		first = h.pattern + 1;
	}
}

static void scan_file(struct cscan *c, const char *path, const char *name, const struct stat *st)
{
	autofree char *buf = NULL;
	size_t len = 0;
	int r;

	if (!fng_code_is_code_name(name)) {
		char head[2];
		autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0 && errno != ENOENT)
			return limit_hit(c, path, "cannot read: %s", strerror(errno)); /* a script, for all we know */
		if (fd < 0 || read(fd, head, 2) != 2 || head[0] != '#' || head[1] != '!')
			return;
	}
	if (++c->files > c->cfg->max_files)
		return limit_hit(c, path, "more than %u code files", c->cfg->max_files);
	if ((uint64_t)st->st_size > c->cfg->max_bytes - c->bytes)
		return limit_hit(c, path, "more than %llu bytes of code", (unsigned long long)c->cfg->max_bytes);
	r = fng_slurp(path, &buf, &len);
	if (r < 0)
		return limit_hit(c, path, "cannot read: %s", strerror(-r));
	if (len > c->cfg->max_bytes - c->bytes)
		return limit_hit(c, path, "more than %llu bytes of code", (unsigned long long)c->cfg->max_bytes);
	c->bytes += len;
	scan_buf(c, path, buf, len);
	if (!c->stop && fng_mono_ns() > c->deadline_ns)
		limit_hit(c, path, "scan took longer than %u ms", c->cfg->max_ms);
}

static void free_dir(DIR **d)
{
	if (*d)
		closedir(*d);
}

/* Symlinked directories are not entered (a loop or a way out of dir); a
 * symlink to a file is that file. */
static void walk(struct cscan *c, const char *dir, int depth)
{
	__attribute__((cleanup(free_dir))) DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return limit_hit(c, dir, "cannot read the directory: %s", strerror(errno));
	while (!c->stop && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (++c->entries > c->cfg->max_files * 4u)
			return limit_hit(c, dir, "more than %u directory entries", c->cfg->max_files * 4u);
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			return limit_hit(c, dir, "a path longer than %d bytes", PATH_MAX);
		if (lstat(path, &st) < 0) {
			if (errno == ENOENT)
				continue; /* gone since the directory was read */
			return limit_hit(c, path, "cannot examine: %s", strerror(errno));
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth >= FNG_CODE_MAX_DEPTH)
				return limit_hit(c, path, "more than %d directory levels", FNG_CODE_MAX_DEPTH);
			walk(c, path, depth + 1);
		} else if ((S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) && stat(path, &st) == 0)) &&
			   S_ISREG(st.st_mode)) {
			scan_file(c, path, e->d_name, &st);
		}
	}
}

int fng_code_scan(const struct fng_payload_cfg *cfg, const char *dir, fng_code_finding_fn fn, void *arg)
{
	struct cscan c = { .cfg = cfg, .fn = fn, .arg = arg };

	c.deadline_ns = fng_mono_ns() + (uint64_t)cfg->max_ms * 1000000u;
	walk(&c, dir, 0);
	return c.err ? c.err : c.found;
}
