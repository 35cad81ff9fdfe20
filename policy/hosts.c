/* Host-name exceptions: exact names and "*.suffix" wildcards on whole DNS
 * labels, with an optional port, and "aws" as a list of AWS service domains.
 * Never substrings: Iron Function matched "aws" inside aws.attacker.example.
 * Pure. */
#include "policy/policy.h"
#include "common/ascii.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What "aws" means (docs/policy.md keeps this list): the domains AWS's SDKs
 * and service endpoints live under, matched as wildcards (subdomains only). */
const char *const fng_aws_domains[] = {
	"amazonaws.com",	/* regional service endpoints, S3, execute-api */
	"amazonaws.com.cn",	/* China regions */
	"api.aws",		/* dual-stack endpoints */
	"on.aws",		/* Lambda function URLs, App Runner */
	NULL,
};

static int parse_port(const char *s, uint16_t *out, const char **why)
{
	long v = 0;

	if (!*s || strlen(s) > 5 || strspn(s, "0123456789") != strlen(s)) {
		*why = "port must be a number from 1 to 65535";
		return -EINVAL;
	}
	v = strtol(s, NULL, 10);
	if (v < 1 || v > 65535) {
		*why = "port must be a number from 1 to 65535";
		return -EINVAL;
	}
	*out = (uint16_t)v;
	return 0;
}

static int check_name(const char *h, const char **why)
{
	size_t label = 0;

	if (!*h || strlen(h) > 253) {
		*why = "host name is empty or longer than 253 characters";
		return -EINVAL;
	}
	for (const char *c = h;; c++) {
		if (*c == '.' || *c == '\0') {
			if (label == 0 || label > 63) {
				*why = "each DNS label must be 1 to 63 characters";
				return -EINVAL;
			}
			if (*c == '\0')
				return 0;
			label = 0;
			continue;
		}
		if (!fng_ishostchar((unsigned char)*c)) {
			*why = "host names may contain only letters, digits, '-', '_' and '.' "
			       "(a wildcard only as a leading \"*.\")";
			return -EINVAL;
		}
		label++;
	}
}

int fng_hostrule_parse(const char *s, struct fng_hostrule *out, const char **why)
{
	char buf[300];
	char *colon, *h = buf;

	memset(out, 0, sizeof(*out));
	if (strlen(s) >= sizeof(buf) || !*s) {
		*why = "host name is empty or longer than 253 characters";
		return -EINVAL;
	}
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		if (parse_port(colon + 1, &out->port, why) < 0)
			return -EINVAL;
	}
	if (strncmp(h, "*.", 2) == 0) {
		out->wildcard = true;
		h += 2;
		if (!*h) {
			*why = "a wildcard needs a domain after \"*.\"";
			return -EINVAL;
		}
	}
	/* A trailing dot is the DNS root: "example.com." is "example.com". */
	if (*h && h[strlen(h) - 1] == '.' && strlen(h) > 1)
		h[strlen(h) - 1] = '\0';
	if (check_name(h, why) < 0)
		return -EINVAL;
	for (char *c = h; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	out->name = strdup(h);
	return out->name ? 0 : -ENOMEM;
}

bool fng_hostrule_match(const struct fng_hostrule *r, const char *host, uint16_t port)
{
	size_t hl, nl = strlen(r->name);

	if (r->port && r->port != port)
		return false;
	hl = strlen(host);
	if (hl && host[hl - 1] == '.')
		hl--; /* absolute form */
	if (!r->wildcard)
		return hl == nl && strncasecmp(host, r->name, nl) == 0;
	/* "*.example.com": at least one whole label before ".example.com". */
	return hl > nl + 1 && host[hl - nl - 1] == '.' && strncasecmp(host + hl - nl, r->name, nl) == 0;
}

bool fng_hostrule_covers(const struct fng_hostrule *outer, const struct fng_hostrule *inner)
{
	size_t n = strlen(inner->name), m = strlen(outer->name);

	if (outer->port && outer->port != inner->port)
		return false;
	if (!inner->wildcard)
		return fng_hostrule_match(outer, inner->name, inner->port);
	/* "*.a.example.com" is inside "*.example.com" and itself, nothing else */
	return outer->wildcard && ((n == m && strcasecmp(inner->name, outer->name) == 0) ||
				   (n > m + 1 && inner->name[n - m - 1] == '.' &&
				    strcasecmp(inner->name + n - m, outer->name) == 0));
}

bool fng_policy_host_allowed(const struct fng_policy *p, const char *host, uint16_t port)
{
	if (!host || !*host)
		return false;
	for (size_t i = 0; i < p->n_host_allow; i++)
		if (fng_hostrule_match(&p->host_allow[i], host, port))
			return true;
	return false;
}

void fng_hostrules_free(struct fng_hostrule *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}
