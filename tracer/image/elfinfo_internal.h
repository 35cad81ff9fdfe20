/* What elfinfo.c and ehframe.c share beyond elfinfo.h: a libelf handle
 * ended by a cleanup attribute, like autoclose/autofree (common/util.h). */
#ifndef FNG_ELFINFO_INTERNAL_H
#define FNG_ELFINFO_INTERNAL_H

#include <libelf.h>

static inline void fng_elf_endp(Elf **e)
{
	if (*e)
		elf_end(*e);
}
#define autoelf __attribute__((cleanup(fng_elf_endp)))

#endif
