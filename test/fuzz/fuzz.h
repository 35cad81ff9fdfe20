/* The libFuzzer entry point every target in test/fuzz/ defines. Built two
 * ways (Makefile): with clang's libFuzzer for `make fuzz`, and with the
 * ordinary compiler and replay.c's main for `make check`, which runs every
 * committed corpus file through the target. */
#ifndef FNG_FUZZ_H
#define FNG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
