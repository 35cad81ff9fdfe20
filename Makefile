# fnguard — `make` builds ./fnguard, `make check` runs every test, `make demo`
# shows the default policy at work. Missing libraries are installed through
# scripts/install-deps.sh (Debian packages) on first use.

VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
SANITIZE ?=
# The machine fnguard is built for: x86_64 or arm64 (aarch64). `make
# cross-arm64` builds an arm64 fnguard on x86_64 with Debian's cross compiler
# and arm64 (multiarch) libraries; `make check-aarch64` runs the tests on a
# real aarch64 kernel under qemu (docs/deploy.md, "arm64").
HOST_ARCH  := $(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x86_64)
ARCH       ?= $(HOST_ARCH)
PKG_CONFIG ?= pkg-config
STRIP      ?= strip
OBJDUMP    ?= objdump
GOARCH     := $(if $(filter arm64,$(ARCH)),arm64,amd64)

PKGS      := libseccomp json-c libuv libcares libcurl libunwind-generic libelf nettle libpcre2-8
TEST_PKGS := cmocka
# Libraries Debian ships without a pkg-config file: linked by name, their
# header checked for by the deps stamp.
NOPC_LIBS    ?= -lhttp_parser
NOPC_HEADERS := /usr/include/http_parser.h
# Programs the tests run (installed by scripts/install-deps.sh too).
TOOLS     := python3 node musl-gcc curl go /usr/sbin/dnsmasq /usr/sbin/rsyslogd
BUILD     := build$(if $(SANITIZE),-san)
# ARCH=arm64 on x86_64: Debian's cross compiler and arm64 (multiarch)
# libraries (scripts/install-deps.sh arm64). libhttp-parser-dev cannot be
# installed for two architectures at once: its arm64 package is unpacked
# under the build directory instead (scripts/install-deps.sh arm64 does).
ifeq ($(ARCH)-$(HOST_ARCH),arm64-x86_64)
CC         := aarch64-linux-gnu-gcc
BUILD      := build-arm64$(if $(SANITIZE),-san)
PKG_CONFIG := env PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig pkg-config
NOPC_LIBS  := -L$(CURDIR)/build-arm64/deb/usr/lib/aarch64-linux-gnu -lhttp_parser
STRIP      := aarch64-linux-gnu-strip
OBJDUMP    := aarch64-linux-gnu-objdump
endif

# Recursive (=): evaluated when a recipe runs, after the deps stamp exists.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
# libcurl is compiled against but loaded at run time, only for HTTP sinks
# (logging/sinks/curl_dl.h): linking it would cost every start ~30 libraries.
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(filter-out libcurl,$(PKGS))) $(NOPC_LIBS)
TEST_LIBS  = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS))

WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral $(if $(filter clang%,$(notdir $(CC))),,-Wno-format-truncation)
CFLAGS   ?= -O2 -g
SANFLAGS := $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all)
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -DFNG_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

# The layers, lowest first (docs/architecture.md): each may use the ones
# before it and never one after it. Each builds into its own archive, and a
# unit test links only its own layer's archives and those below, so a call
# upward fails the link; scripts/layers.py (make layers) checks includes,
# symbols and circles between files.
LAYERS := common logging policy tracer supervisor
layer_dirs = $(1) $(wildcard $(1)/*/)
SRCS := $(filter-out tracer/arch_%.c,$(foreach l,$(LAYERS),$(wildcard $(l)/*.c $(l)/*/*.c))) tracer/arch_$(ARCH).c
OBJS := $(SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/supervisor/cli/main.o
LIB_OBJS := $(filter-out $(MAIN_OBJ),$(OBJS))
layer_objs = $(filter $(BUILD)/$(1)/%,$(LIB_OBJS))
ARCHIVES := $(LAYERS:%=$(BUILD)/lib/libfng_%.a)
# The archives a program of layer L links: L and every layer below it,
# highest first (one pass of the linker resolves downward references only).
layers_upto = $(if $(filter $(1),$(firstword $(2))),$(1),$(firstword $(2)) $(call layers_upto,$(1),$(wordlist 2,99,$(2))))
reverse = $(if $(1),$(call reverse,$(wordlist 2,99,$(1))) $(firstword $(1)))
layer_libs = $(foreach l,$(call reverse,$(call layers_upto,$(1),$(LAYERS))),$(BUILD)/lib/libfng_$(l).a)

UNIT_SRCS := $(wildcard test/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:%.c=$(BUILD)/%)
PROG_SRCS := $(wildcard test/progs/*.c)
PROG_BINS := $(PROG_SRCS:%.c=$(BUILD)/%)
ADV_SRCS  := $(wildcard test/adversarial/*.c)
ADV_BINS  := $(ADV_SRCS:%.c=$(BUILD)/%)
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(BENCH_SRCS:%.c=$(BUILD)/%)

DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all check demo install clean deps bench bench-record profile test-programs layer layers unit fuzz
all: fnguard

.SECONDEXPANSION:

deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@mkdir -p $(BUILD)
	@if $(PKG_CONFIG) --exists $(PKGS) $(TEST_PKGS) 2>/dev/null && $(foreach h,$(NOPC_HEADERS),test -f $(h) &&) \
		$(foreach c,$(TOOLS),command -v $(c) >/dev/null &&) true; \
		then :; else sh scripts/install-deps.sh; fi
	@touch $@

$(BUILD)/lib/libfng_%.a: $$(call layer_objs,$$*)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/fnguard: $(MAIN_OBJ) $(ARCHIVES)
	$(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJ) $(call layer_libs,supervisor) $(PKG_LIBS) -lpthread

fnguard: $(BUILD)/fnguard
	@if [ -z "$(SANITIZE)" ]; then cp $< $@; fi

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Each unit test's layer: it links that layer's archives and those below only.
UNIT_LAYER := test_addr=policy test_common=common test_decide=policy test_launch=policy test_allowlist=policy test_dns=tracer test_elf=tracer \
	test_filter=tracer test_globrel=policy test_handler=policy test_hold=tracer test_policydiff=policy test_hostres=tracer test_jsonpos=policy test_logger=logging test_namecache=tracer \
	test_observe=logging test_path=tracer test_policy=policy test_ring=logging test_regexset=policy test_payload=policy \
	test_rtapi=supervisor test_seal=logging test_sockaddr=tracer test_stack_pool=logging test_text=logging test_aggregate=logging test_utf8=logging test_format_golden=logging
# The input firewall (policy/payload/walk.c, detectors).
UNIT_LAYER += test_pwalk=policy test_fwcorpus=policy test_fwdetect=policy test_pjson=policy test_xmlenc=policy
# The independent evaluator's corpus, generated (deterministic) for test_fwcorpus.
$(BUILD)/test/unit/test_fwcorpus: $(BUILD)/corpus-indep/attacks.jsonl
$(BUILD)/corpus-indep/attacks.jsonl: test/corpus/payload/indep/gen.py test/corpus/payload/indep/benign.py test/corpus/payload/indep/mkcorpus.py
	/usr/bin/python3 test/corpus/payload/indep/mkcorpus.py $(BUILD)/corpus-indep
# Confirmed attacks (policy/payload/confirm*.c).
UNIT_LAYER += test_confirm=policy
# The JVM's perf-data file (policy/jvmperf.c).
UNIT_LAYER += test_jvmperf=policy
unit_layer = $(or $(patsubst $(1)=%,%,$(filter $(1)=%,$(UNIT_LAYER))),$(error $(1): no layer in UNIT_LAYER))
$(BUILD)/test/unit/%: test/unit/%.c $(ARCHIVES) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(call layer_libs,$(call unit_layer,$*)) $(PKG_LIBS) $(TEST_LIBS) -lpthread

# Programs run under fnguard by the tests: plain C, no project code.
TEST_PROG_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O1 -g -pthread
$(BUILD)/test/progs/%: test/progs/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_PROG_CFLAGS) -o $@ $<
$(BUILD)/test/adversarial/%: test/adversarial/%.c test/adversarial/adv.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_PROG_CFLAGS) $(if $(filter raw_static elf_payload,$*),-static) -o $@ $<
# exec_mapped_code's payloads: an executable stack, a writable and executable PT_LOAD
ADV_PAYLOADS := $(BUILD)/test/adversarial/exec_mapped_code.xstack $(BUILD)/test/adversarial/exec_mapped_code.rwx
$(BUILD)/test/adversarial/exec_mapped_code.xstack: test/adversarial/exec_mapped_code.c test/adversarial/adv.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_PROG_CFLAGS) -DADV_PAYLOAD_STACK -z execstack -o $@ $<
$(BUILD)/test/adversarial/exec_mapped_code.rwx: test/adversarial/exec_mapped_code.c test/adversarial/adv.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_PROG_CFLAGS) -DADV_PAYLOAD_RWX -Wl,--no-warn-rwx-segments -o $@ $<
# Go test programs: Debian's golang, stdlib only, caches under the build
# dir, never a module download. Built only when go is on PATH
# (scripts/install-deps.sh installs it); the tests that need one fail with a
# message saying so otherwise. $(call go_build,SOURCE,FLAGS)
define go_build
	@mkdir -p $(dir $@)
	@if command -v go >/dev/null; then \
		echo "go build $@"; \
		cd test/progs/go && CC=$(CC) CGO_ENABLED=$(or $(3),0) GO111MODULE=off GOPROXY=off GOFLAGS= GOARCH=$(GOARCH) \
			GOCACHE=$(abspath $(BUILD))/go/cache GOPATH=$(abspath $(BUILD))/go/path \
			go build $(2) -o $(abspath $@) $(1); \
	else echo "go not on PATH: $@ not built (scripts/install-deps.sh installs golang-go)"; fi
endef
# The Go client of the DNS tests, with the pure-Go resolver.
GO_PROG := $(BUILD)/test/progs/dnsclient-go
$(GO_PROG): test/progs/go/dnsclient.go | $(DEPS_STAMP)
	$(call go_build,dnsclient.go,-tags netgo)
# The Runtime API upstream of the proxy's differential and adversarial tests
# (Go net/http: a second HTTP stack).
RTAPI_GO := $(BUILD)/test/progs/rtapi-go
$(RTAPI_GO): test/progs/go/rtapi.go | $(DEPS_STAMP)
	$(call go_build,rtapi.go,)
# The runtime tests' Go runtime (test/integration/runtimes.sh): static
# (CGO_ENABLED=0) and dynamic (cgo: libc's resolver and loader).
RUNTIME_GO := $(BUILD)/test/progs/runtime-go-static $(BUILD)/test/progs/runtime-go-dynamic
$(BUILD)/test/progs/runtime-go-static: test/progs/go/runtime/runtime.go | $(DEPS_STAMP)
	$(call go_build,./runtime,,0)
$(BUILD)/test/progs/runtime-go-dynamic: test/progs/go/runtime/runtime.go | $(DEPS_STAMP)
	$(call go_build,./runtime,,1)
$(BUILD)/bench/%: bench/%.c bench/case.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_PROG_CFLAGS) -O2 -I. -o $@ $< $(PKG_CFLAGS) $(PKG_LIBS)
# The floor traces exactly the rows of fnguard's syscall table: built from it.
$(BUILD)/bench/floor: bench/floor.c tracer/syscalls.c tracer/syscalls.h tracer/filter.c tracer/filter.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_PROG_CFLAGS) -O2 -I. -D_GNU_SOURCE -o $@ bench/floor.c tracer/syscalls.c tracer/filter.c $(PKG_LIBS)

# The same resolver test against musl's own resolver: static, no glibc code.
$(BUILD)/test/progs/musl/%: test/progs/musl/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	musl-gcc -static -O1 -Wall -Wextra -Werror -o $@ $<

# In-process timing of the tracer's own code.
$(BUILD)/bench/stack_cost: bench/stack_cost.c $(ARCHIVES) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(call layer_libs,tracer) $(PKG_LIBS) -lpthread

# In-process timing of output inspection's detectors.
$(BUILD)/bench/payload_cost: bench/payload_cost.c $(ARCHIVES) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(call layer_libs,policy) $(PKG_LIBS) -lpthread

# In-process timing of confirmed_attacks' index and checks.
$(BUILD)/bench/confirm_cost: bench/confirm_cost.c $(ARCHIVES) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(call layer_libs,policy) $(PKG_LIBS) -lpthread

# In-process timing of the input firewall's inspection.
$(BUILD)/bench/input_cost: bench/input_cost.c $(ARCHIVES) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(call layer_libs,policy) $(PKG_LIBS) -lpthread

# The stack tests' program also stripped of its symbol table, and static.
STACK_VARIANTS := $(BUILD)/test/progs/stackprog-stripped $(BUILD)/test/progs/stackprog-static
$(BUILD)/test/progs/stackprog-stripped: $(BUILD)/test/progs/stackprog
	$(STRIP) -o $@ $<
$(BUILD)/test/progs/stackprog-static: test/progs/stackprog.c | $(DEPS_STAMP)
	$(CC) $(TEST_PROG_CFLAGS) -static -o $@ $<


unit: $(UNIT_BINS)

# Fuzz targets (test/fuzz/): each target's layer, as UNIT_LAYER. make check
# replays the committed corpora through them (replay.c, no libFuzzer); make
# fuzz runs libFuzzer on each for FUZZ_SECONDS (clang, sanitizers) and merges
# what adds coverage into test/fuzz/corpus/TARGET (commit it deliberately).
FUZZ_LAYER := policy=policy globrel=policy fwdetect=policy jsonpos=policy pjson=policy xmlenc=policy dns=tracer rtapi=supervisor addr=policy sockaddr=tracer path=tracer
FUZZ_TARGETS := $(foreach f,$(FUZZ_LAYER),$(firstword $(subst =, ,$(f))))
fuzz_layer = $(patsubst $(1)=%,%,$(filter $(1)=%,$(FUZZ_LAYER)))
FUZZ_REPLAY_BINS := $(FUZZ_TARGETS:%=$(BUILD)/test/fuzz/replay_%)
FUZZ_SECONDS ?= 60
FUZZ_BUILD := build-fuzz
$(BUILD)/test/fuzz/replay_%: test/fuzz/fuzz_%.c test/fuzz/replay.c test/fuzz/fuzz.h $(ARCHIVES) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< test/fuzz/replay.c $(call layer_libs,$(call fuzz_layer,$*)) $(PKG_LIBS) -lpthread
fuzz: | $(DEPS_STAMP)
	@command -v clang >/dev/null || sh scripts/install-deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang SANITIZE=fuzzer-no-link,address,undefined \
		$(LAYERS:%=$(FUZZ_BUILD)/lib/libfng_%.a)
	@set -e; for t in $(FUZZ_TARGETS); do \
		l=$$(echo " $(FUZZ_LAYER) " | sed -n "s/.* $$t=\([a-z]*\) .*/\1/p"); \
		libs=$$(for x in $(call reverse,$(LAYERS)); do echo $(FUZZ_BUILD)/lib/libfng_$$x.a; done | \
			sed -n "/libfng_$$l\.a/,\$$p"); \
		clang $(filter-out -Wno-format-truncation,$(ALL_CFLAGS)) -fsanitize=fuzzer,address,undefined -o $(FUZZ_BUILD)/fuzz_$$t test/fuzz/fuzz_$$t.c \
			$$libs $(PKG_LIBS) -lpthread; \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
		echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; \
		$(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/ \
			$(FUZZ_BUILD)/corpus/$$t test/fuzz/corpus/$$t >$(FUZZ_BUILD)/fuzz_$$t.log 2>&1 || \
			{ tail -40 $(FUZZ_BUILD)/fuzz_$$t.log; echo "fuzz $$t: failed (input in $(FUZZ_BUILD)/)"; exit 1; }; \
		grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units)' $(FUZZ_BUILD)/fuzz_$$t.log; \
		$(FUZZ_BUILD)/fuzz_$$t -merge=1 test/fuzz/corpus/$$t $(FUZZ_BUILD)/corpus/$$t 2>&1 | grep -E 'MERGE-OUTER: [0-9]+ new files' || true; \
	done

MUSL_BINS := $(patsubst %.c,$(BUILD)/%,$(wildcard test/progs/musl/*.c))

# arm64 only: a 32-bit ARM (AArch32) program, arm64's foreign ABI
# (test/integration/aarch32.sh), by Debian's armhf cross compiler
# (scripts/install-deps.sh arm64) when it is installed.
AARCH32_CC   := arm-linux-gnueabihf-gcc
AARCH32_BINS := $(if $(and $(filter arm64,$(ARCH)),$(shell command -v $(AARCH32_CC))),$(BUILD)/test/aarch32/open_secret)
$(BUILD)/test/aarch32/%: test/aarch32/%.c
	@mkdir -p $(dir $@)
	$(AARCH32_CC) -std=gnu11 -Wall -Wextra -Werror -O1 -marm -static -o $@ $<

# Debian's musl-gcc builds for the machine it runs on only: no musl programs
# in an arm64 cross build (the tests that need one say so).
test-programs: $(PROG_BINS) $(ADV_BINS) $(ADV_PAYLOADS) $(if $(filter $(ARCH),$(HOST_ARCH)),$(MUSL_BINS)) $(GO_PROG) $(RTAPI_GO) $(RUNTIME_GO) $(STACK_VARIANTS) $(AARCH32_BINS)

# make layers: no include or call upward, no circle between files
# (scripts/layers.py, docs/architecture.md "Layers").
layers: $(BUILD)/fnguard
	@python3 scripts/layers.py --arch $(ARCH) --build $(BUILD) $(LAYERS)

# An arm64 fnguard built on x86_64 (see ARCH above): make check builds it, so
# a change that breaks the aarch64 build fails CI.
.PHONY: cross-arm64 cross-arm64-tests cross-arm64-bench bench-programs check-aarch64 bench-aarch64
cross-arm64:
	@command -v aarch64-linux-gnu-gcc >/dev/null && test -e /usr/lib/aarch64-linux-gnu/libseccomp.so \
		&& test -e build-arm64/deb/usr/lib/aarch64-linux-gnu/libhttp_parser.a || sh scripts/install-deps.sh arm64
	$(MAKE) ARCH=arm64 build-arm64/fnguard
	@file build-arm64/fnguard | grep -q 'ARM aarch64' || { echo "cross-arm64: not an aarch64 binary"; exit 1; }
# Everything the tests run, for arm64 (the guest of check-aarch64 runs them).
cross-arm64-tests: cross-arm64
	$(MAKE) ARCH=arm64 unit test-programs
# The tests on a real aarch64 kernel: an arm64 Debian guest under qemu
# (scripts/aarch64/). Hours under emulation; TESTS=REGEX runs some.
check-aarch64:
	sh scripts/aarch64/check.sh "$(TESTS)"
# make bench in that guest (ratios only: emulation makes times meaningless).
bench-programs: $(BENCH_BINS)
cross-arm64-bench: cross-arm64
	$(MAKE) ARCH=arm64 bench-programs
bench-aarch64:
	sh scripts/aarch64/check.sh --bench

check: layers cross-arm64 fnguard $(BUILD)/fnguard $(UNIT_BINS) $(FUZZ_REPLAY_BINS) test-programs $(BENCH_BINS) layer
	@FNGUARD=$(abspath $(BUILD)/fnguard) BUILD=$(abspath $(BUILD)) SANITIZE=$(SANITIZE) bash test/run.sh

# `make layer`: an AWS Lambda layer (docs/deploy.md) whose fnguard runs on
# Amazon Linux 2023 (glibc 2.34). Every library Debian ships as a static
# archive is linked in (libunwind's archives are not PIC, hence -no-pie);
# glibc stays dynamic; libcurl is not linked at all (logging/sinks/curl_dl.c loads
# the host's libcurl.so.4 for HTTP sinks). The glibc versions the binary
# needs are checked (scripts/layer/check-glibc.sh): the target fails on any
# GLIBC_2.35 or newer. Always built from unsanitized objects.
LAYER_BUILD  := $(BUILD:-san=)/layer
LAYER_ZIP    := dist/fnguard-layer-$(ARCH).zip
# PKGS' static link lines (libcurl excepted), glibc's parts left dynamic;
# Debian names libuv's archive libuv_a.a. NOPC_LIBS: libraries without a
# pkg-config file, if the Makefile names any.
LAYER_GLIBC_LIBS := -lpthread -ldl -lrt -lm
LAYER_STATIC = $(patsubst -luv,-luv_a,$(filter-out $(LAYER_GLIBC_LIBS),\
	$(shell $(PKG_CONFIG) --libs --static $(filter-out libcurl,$(PKGS))))) $(NOPC_LIBS)
LAYER_GLIBC  := 2.34
ifeq ($(SANITIZE),)
layer: $(LAYER_ZIP)
else
layer:
	@$(MAKE) --no-print-directory SANITIZE= layer
endif

$(LAYER_BUILD)/fnguard: $(OBJS) scripts/layer/check-glibc.sh
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -no-pie -o $@.tmp $(OBJS) -Wl,-Bstatic $(LAYER_STATIC) -Wl,-Bdynamic $(LAYER_GLIBC_LIBS)
	$(STRIP) --strip-debug $@.tmp
	OBJDUMP=$(OBJDUMP) sh scripts/layer/check-glibc.sh $@.tmp $(LAYER_GLIBC) || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

$(LAYER_ZIP): $(LAYER_BUILD)/fnguard scripts/layer/fnguard-wrapper scripts/layer/bootstrap \
		examples/policies/default.json scripts/layer/zip.py
	rm -rf $(LAYER_BUILD)/root
	install -D -m 0755 $(LAYER_BUILD)/fnguard $(LAYER_BUILD)/root/bin/fnguard
	install -D -m 0755 scripts/layer/fnguard-wrapper $(LAYER_BUILD)/root/bin/fnguard-wrapper
	install -D -m 0755 scripts/layer/bootstrap $(LAYER_BUILD)/root/bootstrap
	install -D -m 0644 examples/policies/default.json $(LAYER_BUILD)/root/etc/fnguard/default.json
	@mkdir -p $(dir $@)
	python3 scripts/layer/zip.py $@ $(LAYER_BUILD)/root

demo: fnguard
	@bash examples/demo.sh $(abspath fnguard)

bench: fnguard $(BENCH_BINS)
	@sh scripts/install-deps.sh bench
	@FNGUARD=$(abspath fnguard) BUILD=$(abspath $(BUILD)) bash bench/run.sh

# Recording a run's results in the tree is a deliberate step (docs/bench.md).
bench-record:
	@test -s $(BUILD)/bench-results/latest.md || { echo "no results: run make bench first" >&2; exit 1; }
	cp $(BUILD)/bench-results/* bench/results/

# Where the tracer's time goes on one case: bench/profile.sh [CASE [N]].
profile: fnguard $(BENCH_BINS)
	@FNGUARD=$(abspath $(BUILD)/fnguard) BUILD=$(abspath $(BUILD)) bash bench/profile.sh $(CASE) $(N)

install: fnguard
	install -D -m 0755 fnguard $(DESTDIR)$(PREFIX)/bin/fnguard
	install -D -m 0644 docs/fnguard.1 $(DESTDIR)$(PREFIX)/share/man/man1/fnguard.1
	install -D -m 0644 examples/policies/default.json $(DESTDIR)$(PREFIX)/share/fnguard/default.json
	install -d $(DESTDIR)$(PREFIX)/share/doc/fnguard
	install -m 0644 README.md docs/policy.md docs/events.md docs/cli.md docs/security.md docs/deploy.md \
		docs/policy.schema.json $(DESTDIR)$(PREFIX)/share/doc/fnguard/
	install -D -m 0644 scripts/completion/fnguard.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/fnguard

clean:
	rm -rf build build-san build-fuzz fnguard dist

-include $(OBJS:.o=.d)
