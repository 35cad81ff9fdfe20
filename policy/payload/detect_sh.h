/* Shell reading helpers of the command injection detector (detect_sh.c):
 * the shapes of a command word a shell would build at run time. */
#ifndef FNG_PAYLOAD_DETECT_SH_H
#define FNG_PAYLOAD_DETECT_SH_H

#include <stdbool.h>
#include <stddef.h>

/* A command word at s[i] that the shell assembles at run time: a variable
 * or substitution ($x, ${x}, $'..', $(..)), a glob path (/???/??t), a
 * brace list ({cat,/etc/passwd}), a variable inside the word (c${x}at).
 * Returns the word's end, or 0 when the word is plain. */
size_t fng_fw_sh_dynamic(const char *s, size_t len, size_t i);

/* A program not on any list: a word shaped like a program name (letters,
 * digits, - _ . +, or a path) followed in the same command by an option
 * (-x, --long), a key=/path argument or a redirection. The end, or 0. */
size_t fng_fw_sh_program(const char *s, size_t len, size_t i);

/* Where the command line starting at s[i] ends: the next separator. */
size_t fng_fw_sh_cmdend(const char *s, size_t len, size_t i);

#endif
