/* A program that needs glibc 2.36 (arc4random): the layer test's proof that
 * scripts/layer/check-glibc.sh rejects what Amazon Linux 2023 cannot run. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("%u\n", arc4random());
	return 0;
}
