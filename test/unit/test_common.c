/* common/: host:port, the Runtime API address, hex, growable arrays, clocks
 * and /proc/TID/status, each through a table of inputs and expected results. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/prctl.h>

#include "common/array.h"
#include "common/clock.h"
#include "common/hex.h"
#include "common/hostport.h"
#include "common/procstatus.h"
#include "common/util.h"

static void hostport_table(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *host;
		unsigned port;
	} cases[] = {
		{ "127.0.0.1:9001", 0, "127.0.0.1", 9001 },
		{ "localhost:80", 0, "localhost", 80 },
		{ "[::1]:6514", 0, "::1", 6514 },
		{ "siem.internal:65535", 0, "siem.internal", 65535 },
		{ "a:1", 0, "a", 1 },
		{ "::1:9001", -EINVAL, NULL, 0 },	/* bare IPv6: ambiguous */
		{ "127.0.0.1", -EINVAL, NULL, 0 },
		{ "127.0.0.1:", -EINVAL, NULL, 0 },
		{ "127.0.0.1:0", -EINVAL, NULL, 0 },
		{ "127.0.0.1:65536", -EINVAL, NULL, 0 },
		{ "127.0.0.1:+80", -EINVAL, NULL, 0 },
		{ "127.0.0.1: 80", -EINVAL, NULL, 0 },
		{ "127.0.0.1:80x", -EINVAL, NULL, 0 },
		{ ":80", -EINVAL, NULL, 0 },
		{ "[]:80", -EINVAL, NULL, 0 },
		{ "[::1:9001", -EINVAL, NULL, 0 },
		{ "[::1]9001", -EINVAL, NULL, 0 },
		{ "", -EINVAL, NULL, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fng_hostport hp;
		int rc = fng_hostport_parse(cases[i].in, &hp);
		if (rc != cases[i].rc)
			fail_msg("%s: %d, expected %d", cases[i].in, rc, cases[i].rc);
		if (rc == 0) {
			assert_string_equal(hp.host, cases[i].host);
			assert_int_equal(hp.port, cases[i].port);
		}
	}
	assert_int_equal(fng_hostport_parse(NULL, &(struct fng_hostport){ 0 }), -EINVAL);
}

static void runtime_api_address_table(void **state)
{
	static const struct {
		const char *in;
		int rc;
		int family;
		const char *addr16;	/* inet_pton(AF_INET6) form */
	} cases[] = {
		{ "127.0.0.1:9001", 0, AF_INET, "::ffff:127.0.0.1" },
		{ "localhost:9001", 0, AF_INET, "::ffff:127.0.0.1" },
		{ "[::1]:9001", 0, AF_INET6, "::1" },
		{ "[::ffff:127.0.0.1]:9001", 0, AF_INET6, "::ffff:127.0.0.1" },
		{ "169.254.100.1:9001", 0, AF_INET, "::ffff:169.254.100.1" },
		{ "example.com:9001", -EINVAL, 0, NULL },	/* a name the tracer cannot pin */
		{ "[127.0.0.1]:9001", -EINVAL, 0, NULL },
		{ "127.0.0.1/8:9001", -EINVAL, 0, NULL },
		{ "::1:9001", -EINVAL, 0, NULL },
		{ "127.0.0.1", -EINVAL, 0, NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sockaddr_storage ss;
		socklen_t len = 0;
		uint8_t a[16], want[16];
		uint16_t port = 0;
		int rc = fng_hostport_ip(cases[i].in, &ss, &len, a, &port);
		if (rc != cases[i].rc)
			fail_msg("%s: %d, expected %d", cases[i].in, rc, cases[i].rc);
		if (rc)
			continue;
		assert_int_equal(ss.ss_family, cases[i].family);
		assert_int_equal(len, cases[i].family == AF_INET ? sizeof(struct sockaddr_in)
								    : sizeof(struct sockaddr_in6));
		assert_int_equal(inet_pton(AF_INET6, cases[i].addr16, want), 1);
		assert_memory_equal(a, want, 16);
		assert_int_equal(port, 9001);
	}
}

static void hex_table(void **state)
{
	char out[9];

	(void)state;
	fng_hex(out, (const uint8_t *)"\x00\x7f\xa5\xff", 4);
	assert_string_equal(out, "007fa5ff");
	fng_hex(out, NULL, 0);
	assert_string_equal(out, "");
}

static void array_push(void **state)
{
	struct item {
		int a, b;
	} *v = NULL;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 100; i++) {
		struct item *it = FNG_PUSH(v, n);
		assert_non_null(it);
		assert_int_equal(it->a, 0);	/* zeroed */
		assert_int_equal(it->b, 0);
		it->a = i;
	}
	assert_int_equal(n, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i].a, i);
	free(v);
}

static void clocks(void **state)
{
	uint64_t m0 = fng_mono_ns(), m1 = fng_mono_ns();

	(void)state;
	assert_true(m1 >= m0);
	assert_true(fng_now_ns() > 1600000000ull * 1000000000ull);	/* after 2020 */
}

static void proc_status(void **state)
{
	struct fng_proc_status st;

	(void)state;
	assert_int_equal(fng_proc_status(getpid(), &st), 0);
	assert_int_equal(st.tgid, getpid());
	assert_int_equal(st.ppid, getppid());
	assert_int_equal(st.uid, getuid());
	assert_true(strncmp(st.name, "test_common", sizeof(st.name) - 1) == 0);
	assert_true(fng_proc_status(0x3ffffff, &st) < 0);	/* no such task */
	assert_int_equal(st.tgid, -1);
}

/* Through a kept descriptor: each read is the kernel's answer now (a
 * name set after the open is seen), read from the start every time. */
static void proc_status_fd(void **state)
{
	struct fng_proc_status st;
	int fd = open("/proc/thread-self/status", O_RDONLY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(fng_proc_status_fd(fd, &st), 0);
	assert_int_equal(st.tgid, getpid());
	assert_int_equal(st.uid, getuid());
	assert_int_equal(prctl(PR_SET_NAME, "fng-unit-name", 0, 0, 0), 0);
	assert_int_equal(fng_proc_status_fd(fd, &st), 0);
	assert_string_equal(st.name, "fng-unit-name");
	assert_int_equal(st.ppid, getppid());
	close(fd);
	assert_true(fng_proc_status_fd(fd, &st) < 0);	/* closed: nothing is made up */
	assert_int_equal(st.tgid, -1);
}

/* Whole small files: truncated to the buffer, or grown past the first 4 KiB. */
static void read_whole_files(void **state)
{
	char path[] = "/var/tmp/fng-test-common.XXXXXX", small[8];
	autoclose int fd = mkstemp(path);
	static char big[10000];
	char *got = NULL;
	size_t len = 0;

	(void)state;
	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	assert_int_equal(write(fd, big, sizeof(big)), (ssize_t)sizeof(big));
	assert_int_equal(fng_read_file(path, small, sizeof(small)), 7);
	assert_string_equal(small, "abcdefg");
	assert_int_equal(fng_slurp(path, &got, &len), 0);
	assert_int_equal(len, sizeof(big));
	assert_memory_equal(got, big, sizeof(big));
	assert_int_equal(got[len], '\0');
	free(got);
	unlink(path);
	assert_int_equal(fng_read_file(path, small, sizeof(small)), -ENOENT);
	assert_int_equal(fng_slurp(path, &got, &len), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostport_table), cmocka_unit_test(runtime_api_address_table),
		cmocka_unit_test(hex_table),	  cmocka_unit_test(array_push),
		cmocka_unit_test(clocks),	  cmocka_unit_test(proc_status), cmocka_unit_test(proc_status_fd),
		cmocka_unit_test(read_whole_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
