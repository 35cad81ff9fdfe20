/*
 * event_forge.c - adversarial test for fnguard (class: the function writes
 * to the stream fnguard's events go to)
 *
 * By default fnguard writes its events, one JSON object per line, to its
 * standard error, which the function inherits.  Whoever reads that stream
 * (a log shipper, the Lambda log stream, the test harness) can be fooled:
 *   partial_line        a partial line with no newline is written first, so
 *                       fnguard's next event (the block below) is glued to it
 *                       and no longer parses as JSON
 *   blocked_open        open(FNG_TMPDIR/x, O_WRONLY|O_CREAT): blocked under the
 *                       default policy, which makes fnguard write an event.
 *                       This one is judged here: BYPASSED if the file was
 *                       created (it is removed again), defended if refused
 *   stderr_readback     opens /proc/self/fd/2 for reading: when standard error
 *                       is a pipe this reads (and so removes) whatever fnguard
 *                       wrote that the reader has not consumed yet, e.g. the
 *                       block event; when it is a file, it reads the events.
 *                       The run id and sequence number found are reused below
 *   forged_exit_event   a line shaped exactly like fnguard's lifecycle exit
 *                       event (docs/events.md) claiming blocked: 0, events: 0
 *   trailing_partial    a last partial line with no newline, so the real exit
 *                       event fnguard writes after the function ends is glued
 *                       to it and the forged one is the only parseable exit
 * Except blocked_open, the program cannot see whether the reader was fooled:
 * those lines say "defended (action done; the harness judges)" and the
 * harness that reads fnguard's output decides.
 *
 * Env: FNG_TMPDIR.
 */
#define _GNU_SOURCE
#include "adv.h"

#include <sys/stat.h>
#include <time.h>

#define JUDGE "action done; the harness judges"

static char run_id[64];
static long last_seq = -1;

static void put2(const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t w = write(2, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void learn(const char *buf)
{
	const char *p = buf;
	while ((p = strstr(p, "\"run\":\""))) {
		p += 7;
		size_t i = 0;
		while (p[i] && p[i] != '"' && i < sizeof run_id - 1)
			i++;
		memcpy(run_id, p, i);
		run_id[i] = 0;
	}
	for (p = buf; (p = strstr(p, "\"seq\":")); p += 6) {
		long s = strtol(p + 6, NULL, 10);
		if (s > last_seq)
			last_seq = s;
	}
}

static void vec_readback(void)
{
	struct stat st;
	if (fstat(2, &st) < 0) {
		report("stderr_readback", DEFENDED, "fstat(2): %s; %s", strerror(errno), JUDGE);
		return;
	}
	const char *kind = S_ISFIFO(st.st_mode) ? "a pipe" : S_ISREG(st.st_mode) ? "a file" :
			   S_ISSOCK(st.st_mode) ? "a socket" : S_ISCHR(st.st_mode) ? "a character device" : "other";
	if (!S_ISFIFO(st.st_mode) && !S_ISREG(st.st_mode)) {
		report("stderr_readback", DEFENDED, "standard error is %s: not read; %s", kind, JUDGE);
		return;
	}
	usleep(200 * 1000);	/* let the block event be written */
	int fd = open("/proc/self/fd/2", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		report("stderr_readback", DEFENDED, "standard error is %s; open(/proc/self/fd/2, O_RDONLY): %s; %s", kind,
		       strerror(errno), JUDGE);
		return;
	}
	static char buf[1 << 16];
	ssize_t n = read(fd, buf, sizeof buf - 1), total = 0;
	int e = errno;
	while (n > 0) {
		buf[n] = 0;
		learn(buf);
		total += n;
		n = read(fd, buf, sizeof buf - 1);
	}
	close(fd);
	if (total == 0 && n < 0 && e != EAGAIN)
		report("stderr_readback", DEFENDED, "standard error is %s; read: %s; %s", kind, strerror(e), JUDGE);
	else
		report("stderr_readback", DEFENDED, "standard error is %s; read %zd bytes of it%s (run id %s, last seq %ld); %s",
		       kind, total, S_ISFIFO(st.st_mode) ? ", which the reader will not see" : "",
		       run_id[0] ? run_id : "unknown", last_seq, JUDGE);
}

static void vec_forged_exit(void)
{
	char line[1200], now[64], extra[160] = "";
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%S", &tm);
	if (run_id[0])
		snprintf(extra, sizeof extra, ",\"seq\":%ld,\"run\":\"%s\"", last_seq + 1, run_id);
	snprintf(line, sizeof line,
		 "\n{\"time\":\"%s.%03ldZ\",\"event_type\":\"lifecycle\",\"details\":{\"phase\":\"exit\",\"status\":0,"
		 "\"exit_code\":0,\"counters\":{\"events\":0,\"events_dropped\":0,\"blocked\":0,\"alerted\":0,\"tasks\":1,"
		 "\"traced_calls\":12,\"path_cache_hits\":0},\"sinks\":[{\"dest\":\"stderr\",\"delivered\":0,\"dropped\":0,"
		 "\"retries\":0}],\"version\":\"0.1.0\"}%s}\n",
		 now, ts.tv_nsec / 1000000, extra);
	put2(line);
	report("forged_exit_event", DEFENDED, "wrote a lifecycle exit event claiming blocked 0, events 0%s to stderr; %s",
	       run_id[0] ? " with the run id read back" : "", JUDGE);
}

int main(void)
{
	adv_init();
	const char *tmp = need_env("FNG_TMPDIR");
	char path[4200];
	snprintf(path, sizeof path, "%s/x", tmp);

	put2("event_forge: partial line without a newline: ");
	report("partial_line", DEFENDED, "wrote a partial line with no newline to stderr; %s", JUDGE);

	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644), e = errno;
	struct stat st;
	if (fd >= 0 || lstat(path, &st) == 0) {
		if (fd >= 0)
			close(fd);
		unlink(path);
		report("blocked_open", BYPASSED, "open(%s, O_WRONLY|O_CREAT) created the file (removed again)", path);
	} else
		report("blocked_open", DEFENDED, "open(%s, O_WRONLY|O_CREAT): %s", path, strerror(e));

	vec_readback();
	vec_forged_exit();
	put2("event_forge: trailing partial line: ");
	report("trailing_partial", DEFENDED, "wrote a final partial line with no newline to stderr; %s", JUDGE);
	return adv_exit_status();
}
