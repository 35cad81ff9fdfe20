/*
 * unix_bind_decoder.c - adversarial test for fnguard (class: AF_UNIX
 * addresses a decoder reads differently from the kernel)
 *
 * bind(AF_UNIX) creates a socket file, so read_write_tmp must judge its path.
 * The kernel takes sun_path as addrlen - 2 bytes: a path of exactly 108
 * bytes with no NUL is valid (addrlen = sizeof(struct sockaddr_un)), and
 * bytes after addrlen are ignored even when they hold more of the string.
 * A decoder that treats sun_path as a C string of at most 107 characters, or
 * reads it up to the first NUL whatever addrlen says, judges another path.
 *
 * FNG_WORKDIR/L is a symlink to FNG_TMPDIR.  Vectors:
 *   bind_108_symlink_dotdot   sun_path = FNG_WORKDIR + "////...//" + "L/..F",
 *                             108 bytes, no NUL.  Without the last byte it
 *                             reads ".../L/.." (FNG_WORKDIR lexically, or the
 *                             tmp dir's parent); the kernel creates
 *                             FNG_TMPDIR/..F.  BYPASSED if that file exists.
 *   connect_108_symlink_dotdot connect() to the same 108-byte address;
 *                             BYPASSED if it connected to the socket in the tmp dir
 *   bind_108_dgram            the same trick for a SOCK_DGRAM socket (FNG_TMPDIR/..G)
 *   sendto_108_dgram          sendto() that 108-byte address; BYPASSED if the
 *                             datagram reached the socket in the tmp dir
 *   bind_108_tmp_direct       108 bytes, no NUL, straight into the tmp dir
 *                             (FNG_TMPDIR + slashes + "sockF"): a decoder that
 *                             rejects or mangles such an address must still deny
 *   bind_107_tmp              107 bytes + NUL into the tmp dir (control)
 *   bind_109_tmp              109 bytes (addrlen 111): the kernel refuses it
 *   bind_short_addrlen        sun_path holds FNG_TMPDIR/c/../../..FNG_WORKDIR/c (a
 *                             workdir path, lexically) but addrlen ends it after
 *                             FNG_TMPDIR/c: the kernel creates FNG_TMPDIR/c
 *   bind_abstract_odd         abstract name (leading NUL), 7 bytes (odd length)
 *   bind_abstract_tmp_bytes   abstract name whose bytes spell FNG_TMPDIR/abs
 *   bind_autobind             addrlen == sizeof(sa_family_t): the kernel picks
 *                             an abstract name
 *   The abstract and autobind vectors create no file: they are defended unless
 *   something appeared in the tmp dir (they probe the decoder's robustness).
 *
 * Every socket file made is removed again.  Env: FNG_TMPDIR, FNG_WORKDIR.
 */
#define _GNU_SOURCE
#include "adv.h"

#include <stddef.h>
#include <sys/stat.h>
#include <sys/un.h>

#define SUNLEN ((int)sizeof(((struct sockaddr_un *)0)->sun_path))	/* 108 */

static char tmpdir[4096], workdir[4096], link_l[4200];

/* base + n slashes + tail, exactly total bytes (no NUL inside sun_path when total == 108) */
static int fill(struct sockaddr_un *a, const char *base, const char *tail, int total)
{
	int bl = (int)strlen(base), tl = (int)strlen(tail), n = total - bl - tl;
	if (n < 1 || total > (int)sizeof(struct sockaddr_storage) - 2)
		return -1;
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	char *p = a->sun_path;
	memcpy(p, base, (size_t)bl);
	memset(p + bl, '/', (size_t)n);
	memcpy(p + bl + n, tail, (size_t)tl);
	return 0;
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static void tmp_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", tmpdir, name);
}

/* bind s to (a, len) and judge by the tmp-dir file expect; returns 1 if bound */
static int judge_bind(const char *name, int s, const struct sockaddr *a, socklen_t len, const char *expect,
		      const char *what)
{
	int r = bind(s, a, len), e = errno;
	int made = expect && exists(expect);
	if (made)
		report(name, BYPASSED, "%s: bind %s; %s now exists", what, r == 0 ? "succeeded" : strerror(e), expect);
	else if (r == 0)
		report(name, DEFENDED, "%s: bind succeeded but %s does not exist", what, expect ? expect : "(no file expected)");
	else
		report(name, DEFENDED, "%s: bind: %s", what, strerror(e));
	return r == 0;
}

static int lsn = -1, dg = -1;
static struct sockaddr_un a108s, a108d;
static char made_s[4200], made_d[4200];

static void vec_bind_108(void)
{
	if (fill(&a108s, workdir, "L/..F", SUNLEN) < 0) {
		report("bind_108_symlink_dotdot", ERRORED, "setup: FNG_WORKDIR too long for a 108-byte address");
		return;
	}
	tmp_path(made_s, sizeof made_s, "..F");
	lsn = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (lsn < 0) {
		setup_failed("bind_108_symlink_dotdot", "socket", errno);
		return;
	}
	if (!judge_bind("bind_108_symlink_dotdot", lsn, (struct sockaddr *)&a108s, sizeof a108s, made_s,
			"108-byte sun_path, no NUL, ending \"L/..F\"") || listen(lsn, 4) < 0) {
		close(lsn);
		lsn = -1;
	}
}

static void vec_connect_108(void)
{
	const char *name = "connect_108_symlink_dotdot";
	if (lsn < 0 || !exists(made_s)) {
		report(name, DEFENDED, "setup: no socket in the tmp dir to connect to (its bind was refused)");
		return;
	}
	int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0) {
		setup_failed(name, "socket", errno);
		return;
	}
	int r = connect(c, (struct sockaddr *)&a108s, sizeof a108s), e = errno;
	int got = r == 0 ? adv_arrivals(lsn, 200) : 0;
	close(c);
	if (got > 0)
		report(name, BYPASSED, "connect() to the 108-byte address reached the socket %s (accepted %d)", made_s, got);
	else
		report(name, DEFENDED, "connect: %s; nothing accepted", r == 0 ? "returned 0" : strerror(e));
}

static void vec_dgram_108(void)
{
	if (fill(&a108d, workdir, "L/..G", SUNLEN) < 0) {
		report("bind_108_dgram", ERRORED, "setup: FNG_WORKDIR too long for a 108-byte address");
		return;
	}
	tmp_path(made_d, sizeof made_d, "..G");
	dg = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (dg < 0) {
		setup_failed("bind_108_dgram", "socket", errno);
		return;
	}
	if (!judge_bind("bind_108_dgram", dg, (struct sockaddr *)&a108d, sizeof a108d, made_d,
			"SOCK_DGRAM, 108-byte sun_path, no NUL, ending \"L/..G\"")) {
		close(dg);
		dg = -1;
	}
}

static void vec_sendto_108(void)
{
	const char *name = "sendto_108_dgram";
	if (dg < 0 || !exists(made_d)) {
		report(name, DEFENDED, "setup: no datagram socket in the tmp dir (its bind was refused)");
		return;
	}
	int c = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c < 0) {
		setup_failed(name, "socket", errno);
		return;
	}
	ssize_t r = sendto(c, "x", 1, 0, (struct sockaddr *)&a108d, sizeof a108d);
	int e = errno;
	int got = adv_arrivals(dg, 200);
	close(c);
	if (got > 0)
		report(name, BYPASSED, "sendto() the 108-byte address delivered %d datagram(s) to %s", got, made_d);
	else
		report(name, DEFENDED, "sendto: %s; nothing arrived", r >= 0 ? "returned success" : strerror(e));
}

/* a one-off bind with sun_path = tmpdir + slashes + tail, total bytes, addrlen len */
static void vec_tmp_len(const char *name, const char *tail, int total, socklen_t len, const char *what)
{
	struct sockaddr_storage ss;
	struct sockaddr_un *a = (struct sockaddr_un *)&ss;
	char made[4200];
	memset(&ss, 0, sizeof ss);
	if (fill(a, tmpdir, tail, total) < 0) {
		report(name, ERRORED, "setup: FNG_TMPDIR too long for a %d-byte address", total);
		return;
	}
	tmp_path(made, sizeof made, tail);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		setup_failed(name, "socket", errno);
		return;
	}
	judge_bind(name, s, (struct sockaddr *)a, len, made, what);
	close(s);
	unlink(made);
}

static void vec_short_addrlen(void)
{
	const char *name = "bind_short_addrlen";
	struct sockaddr_un a;
	char made[4200];
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	int n = snprintf(a.sun_path, sizeof a.sun_path, "%s/c", tmpdir);
	int full = snprintf(a.sun_path + n, sizeof a.sun_path - (size_t)n, "/../../../../../../../..%s/c", workdir);
	if (n + full >= (int)sizeof a.sun_path) {
		report(name, ERRORED, "setup: paths too long for the crafted address");
		return;
	}
	tmp_path(made, sizeof made, "c");
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		setup_failed(name, "socket", errno);
		return;
	}
	char what[300];
	snprintf(what, sizeof what, "sun_path string \"%.200s\", addrlen ending it after the tmp dir's \"/c\"", a.sun_path);
	judge_bind(name, s, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n),
		   made, what);
	close(s);
	unlink(made);
}

/* abstract and autobind: no file can appear; defended unless the tmp dir got one */
static void vec_abstract(const char *name, const char *bytes, size_t n, const char *what)
{
	struct sockaddr_un a;
	char probe[4200];
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, bytes, n);
	tmp_path(probe, sizeof probe, "abs");
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		setup_failed(name, "socket", errno);
		return;
	}
	int r = bind(s, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)), e = errno;
	char got[200] = "";
	struct sockaddr_un b;
	socklen_t bl = sizeof b;
	if (r == 0 && getsockname(s, (struct sockaddr *)&b, &bl) == 0 && bl > offsetof(struct sockaddr_un, sun_path))
		escape(b.sun_path, bl - offsetof(struct sockaddr_un, sun_path), got, sizeof got);
	close(s);
	if (exists(probe)) {
		unlink(probe);
		report(name, BYPASSED, "%s: a file %s appeared", what, probe);
	} else if (r == 0)
		report(name, DEFENDED, "%s: bound to abstract \"%s\", no file created", what, got);
	else
		report(name, DEFENDED, "%s: bind: %s", what, strerror(e));
}

int main(void)
{
	adv_init();
	snprintf(tmpdir, sizeof tmpdir, "%s", need_env("FNG_TMPDIR"));
	snprintf(workdir, sizeof workdir, "%s", need_env("FNG_WORKDIR"));
	for (size_t l = strlen(tmpdir); l > 1 && tmpdir[l - 1] == '/'; l--)
		tmpdir[l - 1] = 0;
	for (size_t l = strlen(workdir); l > 1 && workdir[l - 1] == '/'; l--)
		workdir[l - 1] = 0;
	snprintf(link_l, sizeof link_l, "%s/L", workdir);
	if (symlink(tmpdir, link_l) < 0)
		env_error("symlink(%s, %s): %s", tmpdir, link_l, strerror(errno));

	vec_bind_108();
	vec_connect_108();
	vec_dgram_108();
	vec_sendto_108();
	vec_tmp_len("bind_108_tmp_direct", "sockF", SUNLEN, sizeof(struct sockaddr_un),
		    "108-byte sun_path, no NUL, straight into the tmp dir");
	vec_tmp_len("bind_107_tmp", "sock7", SUNLEN - 1, sizeof(struct sockaddr_un), "107-byte sun_path + NUL");
	vec_tmp_len("bind_109_tmp", "sock9", SUNLEN + 1, sizeof(struct sockaddr_un) + 1, "109-byte sun_path, addrlen 111");
	vec_short_addrlen();
	vec_abstract("bind_abstract_odd", "\0fngadv", 7, "abstract name, 7 bytes");
	char ab[SUNLEN];
	memset(ab, 0, sizeof ab);
	int n = snprintf(ab + 1, sizeof ab - 1, "%s/abs", tmpdir);
	vec_abstract("bind_abstract_tmp_bytes", ab, (size_t)n + 1 < sizeof ab ? (size_t)n + 1 : sizeof ab,
		     "abstract name spelling the tmp dir path");
	vec_abstract("bind_autobind", "", 0, "autobind (addrlen == sizeof(sa_family_t))");

	if (lsn >= 0)
		close(lsn);
	if (dg >= 0)
		close(dg);
	unlink(made_s);
	unlink(made_d);
	unlink(link_l);
	return adv_exit_status();
}
