/* tty_inject — input pushed into a terminal (attack5 F4): TIOCSTI queues
 * bytes as if typed; on the operator's terminal the shell that started
 * fnguard reads and runs them after fnguard exits, untraced. The program
 * opens a pseudo-terminal of its own, pushes a byte into it, and reads the
 * terminal: the byte there is the bypass (needs dev.tty.legacy_tiocsti=1,
 * and root or the terminal as controlling terminal).
 *
 * Vectors:
 *   tiocsti             ioctl(slave, TIOCSTI, "x")
 *   tiocsti_high_bits   the same command with the upper 32 bits set (the
 *                       kernel reads an unsigned int)
 * Env: none.
 */
#define _GNU_SOURCE
#include "adv.h"

#include <termios.h>

static void push(const char *name, unsigned long cmd)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s = -1;
	struct termios tio;
	char c = 'x', got = 0;
	struct pollfd p;

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || (s = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		report(name, ERRORED, "pseudo-terminal: %s", strerror(errno));
		goto out;
	}
	if (tcgetattr(s, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(s, TCSANOW, &tio);
	}
	if (syscall(SYS_ioctl, s, cmd, &c) < 0) {
		setup_failed(name, "ioctl TIOCSTI", errno);
		goto out;
	}
	p = (struct pollfd){ .fd = s, .events = POLLIN };
	if (poll(&p, 1, 500) > 0 && read(s, &got, 1) == 1 && got == 'x')
		report(name, BYPASSED, "a byte pushed with TIOCSTI was read from the terminal as input");
	else
		report(name, DEFENDED, "nothing arrived");
out:
	if (s >= 0)
		close(s);
	if (m >= 0)
		close(m);
}

int main(void)
{
	adv_init();
	push("tiocsti", TIOCSTI);
	push("tiocsti_high_bits", 0xabcd000000000000ul | TIOCSTI);
	return adv_exit_status();
}
