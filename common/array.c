/* Growable arrays (array.h). */
#include "common/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *fng_array_push(void *vp, size_t *n, size_t size)
{
	void **v = vp;
	char *nv;

	if (*n >= SIZE_MAX / size - 1)
		return NULL;
	nv = realloc(*v, (*n + 1) * size);
	if (!nv)
		return NULL;
	*v = nv;
	memset(nv + *n * size, 0, size);
	return nv + (*n)++ * size;
}
