/* A JVM agent that runs an adversarial program inside the JVM (for
 * test/integration/jvmperf.sh): java -agentpath:THIS.so -version starts the
 * JVM through its launcher, then the program's main runs in the JVM's
 * process, with the JVM's own threads around, and its status ends the JVM.
 * Built at test time with the program's source and -Dmain=fng_adv_main. */
#include <stdlib.h>

int fng_adv_main(void);
int Agent_OnLoad(void *vm, char *options, void *reserved);

int Agent_OnLoad(void *vm, char *options, void *reserved)
{
	(void)vm;
	(void)options;
	(void)reserved;
	exit(fng_adv_main());
}
