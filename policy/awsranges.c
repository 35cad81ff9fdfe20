/* "aws" with a copy of AWS's ip-ranges.json: the AMAZON prefixes, minus any
 * that overlaps an EC2 prefix, because EC2 (and so Elastic IPs and anything
 * hosted on EC2) belongs to whoever rents it. Pure: the caller reads the file. */
#include "policy/policy.h"
#include "common/array.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

struct ranges {
	struct fng_netrule *v;
	size_t n;
};

static bool overlaps(const struct fng_netrule *a, const struct fng_netrule *b)
{
	const struct fng_netrule *wide = a->prefix <= b->prefix ? a : b;
	const struct fng_netrule *narrow = wide == a ? b : a;
	struct fng_netrule any = *wide;

	any.port = 0;
	return fng_netrule_match(&any, narrow->addr, 0);
}

static int push(struct ranges *r, const struct fng_netrule *nr)
{
	struct fng_netrule *nv = FNG_PUSH(r->v, r->n);

	if (!nv)
		return -ENOMEM;
	*nv = *nr;
	return 0;
}

/* Collect the prefixes of one list ("prefixes"/"ip_prefix" or
 * "ipv6_prefixes"/"ipv6_prefix") whose service is svc. */
static int collect(json_object *root, const char *list, const char *key, const char *svc, struct ranges *out,
		   const char **why)
{
	json_object *arr;

	if (!json_object_object_get_ex(root, list, &arr))
		return 0; /* older files have no ipv6_prefixes */
	if (!json_object_is_type(arr, json_type_array)) {
		*why = "ip-ranges: a prefix list is not an array";
		return -EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *s, *p;
		struct fng_netrule nr;
		const char *w;

		if (!json_object_object_get_ex(e, "service", &s) || !json_object_object_get_ex(e, key, &p) ||
		    !json_object_is_type(p, json_type_string)) {
			*why = "ip-ranges: an entry lacks \"service\" or its prefix";
			return -EINVAL;
		}
		if (strcmp(json_object_get_string(s), svc) != 0)
			continue;
		if (fng_netrule_parse(json_object_get_string(p), &nr, &w) < 0) {
			*why = "ip-ranges: an entry's prefix is not a valid CIDR";
			return -EINVAL;
		}
		if (push(out, &nr) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The AMAZON ranges of root that no EC2 range overlaps, appended to keep. */
static int keep_amazon(json_object *root, struct ranges *keep, const char **why)
{
	struct ranges amazon = { 0 }, ec2 = { 0 };
	int r = 0;

	if (!root || !json_object_is_type(root, json_type_object)) {
		*why = "ip-ranges: not a JSON object (expected AWS's ip-ranges.json)";
		return -EINVAL;
	}
	if (!json_object_object_get_ex(root, "prefixes", NULL)) {
		*why = "ip-ranges: no \"prefixes\" list (expected AWS's ip-ranges.json)";
		r = -EINVAL;
	}
	if (!r)
		r = collect(root, "prefixes", "ip_prefix", "AMAZON", &amazon, why);
	if (!r)
		r = collect(root, "ipv6_prefixes", "ipv6_prefix", "AMAZON", &amazon, why);
	if (!r)
		r = collect(root, "prefixes", "ip_prefix", "EC2", &ec2, why);
	if (!r)
		r = collect(root, "ipv6_prefixes", "ipv6_prefix", "EC2", &ec2, why);
	for (size_t i = 0; !r && i < amazon.n; i++) {
		bool ec2_overlap = false;
		for (size_t j = 0; j < ec2.n && !ec2_overlap; j++)
			ec2_overlap = overlaps(&amazon.v[i], &ec2.v[j]);
		if (!ec2_overlap)
			r = push(keep, &amazon.v[i]);
	}
	free(amazon.v);
	free(ec2.v);
	return r;
}

int fng_aws_ranges_parse(const char *text, size_t len, struct fng_netrule **rules, size_t *n, const char **why)
{
	struct ranges keep = { .v = *rules, .n = *n };
	json_tokener *tok = json_tokener_new();
	json_object *root;
	int r;

	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	json_tokener_free(tok);
	r = keep_amazon(root, &keep, why);
	*rules = keep.v;
	*n = keep.n;
	json_object_put(root);
	return r;
}
