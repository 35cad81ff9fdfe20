/* The input firewall's detectors: one value (a leaf of walk.h) checked for
 * the eight attack classes by small tokenisers of each target language
 * (SQL, shell, HTML, XML, paths, NoSQL operators, template and code
 * constructs, spreadsheet formulas). Each asks whether the value would
 * change the syntax of what the function builds from it, not whether it
 * contains a word. Pure; linear in the value (a decoded copy of a long
 * value is the only allocation). */
#ifndef FNG_PAYLOAD_DETECT_H
#define FNG_PAYLOAD_DETECT_H

#include <stdbool.h>
#include <stddef.h>

enum fng_fw_class {
	FNG_FW_SQL = 0,
	FNG_FW_NOSQL,
	FNG_FW_CMD,
	FNG_FW_CODE,
	FNG_FW_XSS,
	FNG_FW_XXE,
	FNG_FW_LFI,
	FNG_FW_CSV,
	FNG_FW_NCLASS
};

/* Where a detector found it: [start, end) of the value, and why. */
struct fng_fw_hit {
	size_t start, end;
	const char *why;
};

/* "sql_injection", ... ; fng_fw_class_of: the class of a name, or -1. */
const char *fng_fw_class_name(enum fng_fw_class c);
int fng_fw_class_of(const char *name);

/* Checks one value (kind: FNG_PWALK_VALUE or _KEY). Returns a bit mask of
 * the classes found (1u << class) and fills hits[class] for each. Values
 * with %XX escapes are checked decoded too (code that decodes again).
 * FNG_FW_UNDECIDED in the mask: memory ran out before every check ran (the
 * caller fails closed: a limit finding). */
#define FNG_FW_UNDECIDED (1u << 31)
unsigned fng_fw_detect(const char *s, size_t len, unsigned kind, struct fng_fw_hit hits[FNG_FW_NCLASS]);

struct fng_fw_pairs;
struct fng_pwalk_leaf;

/* A key's operator finding its value undoes: key is an object member's
 * name ("$type") and next the leaf after it in the walk; true when next is
 * that member's own value (same path) and no operand the operator takes
 * (MongoDB's $type takes a BSON type: a number or an alias of letters, not
 * a .NET class name "Ns.Type, Assembly" as JSON.NET writes it). The caller
 * then drops the key's nosql_injection finding. */
bool fng_fw_key_inert(const struct fng_pwalk_leaf *key, const struct fng_pwalk_leaf *next);

/* The single detectors (detect_*.c): true and *h filled on a finding. s is
 * in lower case (fng_fw_detect lowers a copy once: every detector is
 * case-insensitive) and NUL-terminated; pairs (those that search needle
 * lists) is fng_fw_pairs of the same s, computed once per value. */
bool fng_fw_sql(const char *s, size_t len, struct fng_fw_hit *h);
bool fng_fw_nosql(const char *s, size_t len, bool key, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h);
bool fng_fw_cmd(const char *s, size_t len, struct fng_fw_hit *h);
bool fng_fw_code(const char *s, size_t len, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h);
bool fng_fw_xss(const char *s, size_t len, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h);
bool fng_fw_xxe(const char *s, size_t len, struct fng_fw_hit *h);
bool fng_fw_lfi(const char *s, size_t len, const struct fng_fw_pairs *pairs, struct fng_fw_hit *h);
/* cells: also the cells inside the value (the value holds '(' or '|', which
 * a call or a DDE target needs). */
bool fng_fw_csv(const char *s, size_t len, bool cells, struct fng_fw_hit *h);

/* Fills a finding: [start, end) and why; true (a detector's return). */
static inline bool fng_fw_set(struct fng_fw_hit *h, size_t start, size_t end, const char *why)
{
	h->start = start;
	h->end = end;
	h->why = why;
	return true;
}
/* detect_sqlfn.c: the whole value an SQL expression calling a scalar
 * function on a column (fng_fw_sql asks it). */
bool fng_fw_sql_fncall(const char *s, size_t len, struct fng_fw_hit *h);
/* detect_code.c: the whole value a Python/JavaScript expression calling a
 * method (fng_fw_code asks it). */
bool fng_fw_code_expr(const char *s, size_t len, struct fng_fw_hit *h);

/* Search of a needle (any case, shorter than 128 bytes) in a lower-case
 * s[0, len): offset or -1. Shared by the detectors. */
long fng_fw_find(const char *s, size_t len, const char *needle);

/* The byte pairs of a value, hashed: a needle whose pairs are not all
 * there is not in it (fng_fw_maybe), so long needle lists cost a bit test
 * each instead of a search. */
struct fng_fw_pairs {
	unsigned long long bits[64];
};

void fng_fw_pairs(const char *s, size_t len, struct fng_fw_pairs *p);

/* The pair's bit (ASCII case folded: needles may have capitals). */
static inline unsigned fng_fw_pair(unsigned char a, unsigned char b)
{
	a = a >= 'A' && a <= 'Z' ? a | 0x20 : a;
	b = b >= 'A' && b <= 'Z' ? b | 0x20 : b;
	return (a * 31u ^ b) & 4095u;
}

static inline bool fng_fw_maybe(const struct fng_fw_pairs *p, const char *needle)
{
	for (size_t i = 0; needle[i] && needle[i + 1]; i++) {
		unsigned h = fng_fw_pair((unsigned char)needle[i], (unsigned char)needle[i + 1]);
		if (!(p->bits[h / 64] & (1ull << (h % 64))))
			return false;
	}
	return true;
}

#endif
