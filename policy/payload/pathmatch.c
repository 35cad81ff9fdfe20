/* Exceptions by JSON path for the input firewall: matching a pattern with
 * `*` (one component) and `**` (any number) against a path as walk.c
 * writes it. Pure. */
#include <string.h>

#include "policy/payload/walk.h"

enum pm_type { PM_END = 0, PM_NAME, PM_INDEX, PM_STAR, PM_DSTAR, PM_BAD };

struct pm_comp {
	enum pm_type type;
	char name[FNG_PWALK_PATH_MAX];
};

/* Reads the component at *s into c and moves *s past it. */
static void pm_next(const char **s, struct pm_comp *c)
{
	const char *p = *s;
	size_t n = 0;

	c->name[0] = '\0';
	if (!*p) {
		c->type = PM_END;
		return;
	}
	c->type = PM_BAD;
	if (*p == '.') {
		for (p++; *p && *p != '.' && *p != '[' && n < sizeof(c->name) - 1; p++)
			c->name[n++] = *p;
		c->name[n] = '\0';
		c->type = !strcmp(c->name, "**") ? PM_DSTAR : !strcmp(c->name, "*") ? PM_STAR : PM_NAME;
	} else if (p[0] == '[' && p[1] == '"') {
		for (p += 2; *p && *p != '"' && n < sizeof(c->name) - 1; p++) {
			if (*p == '\\' && p[1])
				p++;
			c->name[n++] = *p;
		}
		c->name[n] = '\0';
		if (p[0] == '"' && p[1] == ']') {
			p += 2;
			c->type = PM_NAME;
		}
	} else if (*p == '[') {
		for (p++; *p && *p != ']' && n < sizeof(c->name) - 1; p++)
			c->name[n++] = *p;
		c->name[n] = '\0';
		if (*p == ']') {
			p++;
			c->type = !strcmp(c->name, "*") ? PM_STAR : PM_INDEX;
		}
	}
	*s = c->type == PM_BAD ? p + strlen(p) : p;
}

static bool pm_match(const char *pat, const char *path, unsigned budget)
{
	struct pm_comp a, b;

	if (!budget)
		return false;
	for (;;) {
		const char *pat_rest = pat;
		pm_next(&pat_rest, &a);
		if (a.type == PM_DSTAR) {
			/* zero components, or one and try again */
			if (pm_match(pat_rest, path, budget - 1))
				return true;
			if (!*path)
				return false;
			pm_next(&path, &b);
			if (b.type == PM_BAD)
				return false;
			continue;
		}
		pm_next(&path, &b);
		if (a.type == PM_END || b.type == PM_END)
			return a.type == b.type;
		if (a.type == PM_BAD || b.type == PM_BAD)
			return false;
		if (a.type != PM_STAR && (a.type != b.type || strcmp(a.name, b.name)))
			return false;
		pat = pat_rest;
	}
}

bool fng_pwalk_path_match(const char *pattern, const char *path)
{
	if (pattern[0] != '$' || path[0] != '$')
		return false;
	return pm_match(pattern + 1, path + 1, 4096);
}
