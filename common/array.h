/* Growable heap arrays of plain structs, grown one element at a time (the
 * policy's lists are short and built once). */
#ifndef FNG_ARRAY_H
#define FNG_ARRAY_H

#include <stddef.h>

/* Append one zeroed element to the array *vp of *n elements of size bytes:
 * returns it (and counts it in *n), or NULL with *vp and *n unchanged when
 * memory ran out. */
void *fng_array_push(void *vp, size_t *n, size_t size);

/* FNG_PUSH(v, n): the same for an array v (T *) and its count n (size_t). */
#define FNG_PUSH(v, n) ((__typeof__(v))fng_array_push(&(v), &(n), sizeof(*(v))))

#endif
