/* Build-ids in a policy: "build-id:HEX" parsed, and the
 * create_child_process exceptions matched against a program's build-id.
 * Pure; used by the loader and the allowlist (policy.h). */
#include "policy/policy.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BUILD_ID_PREFIX "build-id:"

int fng_build_id_parse(const char *s, struct fng_build_id *out)
{
	size_t n;

	if (strncmp(s, BUILD_ID_PREFIX, strlen(BUILD_ID_PREFIX)) != 0)
		return -EINVAL;
	s += strlen(BUILD_ID_PREFIX);
	n = strlen(s);
	if (n < 2 || n > 2 * FNG_POLICY_BUILD_ID_MAX || n % 2)
		return -EINVAL;
	for (size_t i = 0; i < n; i += 2) {
		char byte[3] = { s[i], s[i + 1], '\0' };
		if (!isxdigit((unsigned char)byte[0]) || !isxdigit((unsigned char)byte[1]))
			return -EINVAL;
		out->id[i / 2] = (uint8_t)strtoul(byte, NULL, 16);
	}
	out->len = (uint8_t)(n / 2);
	return 0;
}

bool fng_policy_exec_id_allowed(const struct fng_policy *p, const uint8_t *id, size_t len)
{
	for (size_t i = 0; len && i < p->n_exec_allow_ids; i++)
		if (p->exec_allow_ids[i].len == len && memcmp(p->exec_allow_ids[i].id, id, len) == 0)
			return true;
	return false;
}
