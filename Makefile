# SPDX-License-Identifier: GPL-2.0-or-later
MAKEFLAGS += -r
# vmcoreutils — plain GNU make + pkg-config.
#
#   make            build bin/vm* (dynamic), unit tests and generators
#   make demo       install deps, build, run every program on tests/data's dump
#   make test       install deps, build, run unit + bats tests
#                   (TESTS="tests/vmlog.bats test_kdump" a subset, FILTER=re
#                   bats -f, JOBS=n suites at once)
#   make SAN=1      ASan+UBSan build into build-san/ (tests: make test SAN=1)
#   make WERROR=1   warnings are errors (CI: .ci/run)
#   make static     fully static programs in bin/
#   make install PREFIX=/usr/local DESTDIR= (STRIP= keeps symbols)
#   make bench      time every program against crash/drgn/makedumpfile
#                   (the static programs; CASES="cpu dis" some of them)
#   make fuzz       libFuzzer harnesses tests/fuzz/X.c -> build-fuzz/fuzz/X (clang)
#   make fuzz-smoke each harness for FUZZ_SECONDS (60) from tests/fuzz/corpus/X
#   make fuzz-programs  whole programs on mutated fixture dumps under
#                   ASan+UBSan+LSan for FUZZP_SECONDS (180; tests/fuzz/programs.sh)
#
# Everything is found by globbing: common/*.c common/*/*.c -> libvmcore.a,
# bin/X.c -> bin/X, tests/unit/X.c -> $(O)/tests/X (run by tests/run.sh when
# X is test_*), tests/gen/X.c -> $(O)/tests/gen/X, tests/examples/X.c ->
# $(O)/tests/examples/X, tests/fuzz/X.c -> fuzzer.  bin/ and tests/examples/
# are built against the public headers only (PUBLIC_HDRS).

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := libelf zlib lzo2 snappy libzstd capstone liblzma

ifeq ($(FUZZ),1)
O       := build-fuzz
CC      := clang
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
BINDIR  := $(O)/bin
else ifeq ($(SAN),1)
O       ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
BINDIR  := $(O)/bin
else
O       ?= build
SANFLAGS :=
BINDIR  := bin
endif

WARN    := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 -Wstrict-prototypes
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libdwarf first: it needs libelf and zlib, which matters for static links.
PKG_LIBS   := -ldwarf $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libsnappy is C++: the static link needs libstdc++ after it.
STATIC_LIBS := -ldwarf $(shell pkg-config --static --libs $(PKGS) 2>/dev/null) -lstdc++ -lm
CFLAGS  += -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 $(OPT) $(WARN) $(SANFLAGS) \
	   $(PKG_CFLAGS) -I/usr/include/libdwarf -Icommon -MMD -MP
LDFLAGS += $(SANFLAGS)
LDLIBS  := $(PKG_LIBS) -lm

# The public face of libvmcore: the only headers bin/ and tests/examples/
# see (copied into $(O)/include, their include path): a program cannot
# reach into the library's own structures.
PUBLIC_HDRS := common/vmcore.h common/vmcore_types.h common/err.h common/opts.h \
	       common/caps.h common/out/json.h common/out/cli.h common/vmcore_code.h
PUBINC    := $(O)/include
PUBLIC    := $(PUBLIC_HDRS:common/%=$(PUBINC)/%)
PUB_CFLAGS = $(subst -Icommon,-I$(PUBINC),$(CFLAGS))

LIB_SRCS  := $(sort $(wildcard common/*.c common/*/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(O)/%.o)
LIB       := $(O)/libvmcore.a
PROG_SRCS := $(sort $(wildcard bin/*.c))
PROGS     := $(PROG_SRCS:bin/%.c=$(BINDIR)/%)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNITS     := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
EX_SRCS   := $(sort $(wildcard tests/examples/*.c))
EXAMPLES  := $(EX_SRCS:tests/examples/%.c=$(O)/tests/examples/%)
GEN_SRCS  := $(sort $(wildcard tests/gen/*.c))
GENS      := $(GEN_SRCS:tests/gen/%.c=$(O)/tests/gen/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/*.c))
FUZZERS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/fuzz/%)
FUZZ_SECONDS ?= 60
# `make test` / `make demo` build in parallel unless -j was given already
SUBJ := $(if $(findstring --jobserver,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 1))

.PHONY: all progs deps demo test static install clean bench fuzz fuzzers fuzz-smoke fuzz-programs
all: $(PROGS) $(UNITS) $(GENS) $(EXAMPLES)
progs: $(PROGS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(PUBLIC): $(PUBINC)/%.h: common/%.h
	@mkdir -p $(dir $@)
	cp $< $@

# programs and examples: vmcore.h only
$(O)/bin/%.o: bin/%.c $(PUBLIC)
	@mkdir -p $(dir $@)
	$(CC) $(PUB_CFLAGS) -c -o $@ $<

$(O)/tests/examples/%.o: tests/examples/%.c $(PUBLIC)
	@mkdir -p $(dir $@)
	$(CC) $(PUB_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# Static pattern rules: the objects are named prerequisites, not
# intermediates, so make keeps them and relinks when they are newer.
$(PROGS): $(BINDIR)/%: $(O)/bin/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(UNITS): $(O)/tests/%: $(O)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(EXAMPLES): $(O)/tests/examples/%: $(O)/tests/examples/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(GENS): $(O)/tests/gen/%: $(O)/tests/gen/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(FUZZERS): $(O)/fuzz/%: $(O)/tests/fuzz/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS)

deps:
	@sh tests/deps.sh

demo: deps
	@$(MAKE) --no-print-directory $(SUBJ) progs
	@BINDIR=$(BINDIR) bash tests/demo.sh

# A build error does not stop the tests: what did build is tested, and the
# failed build counts as one failure in run.sh's summary.
test: deps
	@b=0; $(MAKE) --no-print-directory $(SUBJ) -k all || b=$$?; \
	O=$(O) BINDIR=$(BINDIR) SAN=$(SAN) TESTS="$(TESTS)" FILTER="$(FILTER)" JOBS="$(JOBS)" \
		BUILD_FAILED=$$b bash tests/run.sh

# Objects in build-static/, programs over the dynamic ones in bin/ (removed
# first: a dynamic bin/X newer than the static objects would stay).
static:
	@rm -f $(PROG_SRCS:bin/%.c=bin/%)
	@$(MAKE) --no-print-directory $(SUBJ) progs O=build-static BINDIR=bin SAN= \
		LDFLAGS="-static" LDLIBS="$(STATIC_LIBS)"
	@for p in $(PROG_SRCS:bin/%.c=bin/%); do \
		file -b $$p | grep -q 'statically linked' || { echo "$$p: not statically linked" >&2; exit 1; }; \
	done; echo "static: $(PROG_SRCS:bin/%.c=bin/%)"

# Programs stripped (STRIP= keeps their symbols, STRIP=x86_64-linux-gnu-strip
# for another toolchain's), the man pages, and the bash completion under each
# program's name (bash-completion loads completions/PROG on first use).
STRIP   ?= strip
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
install: progs
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man7 $(DESTDIR)$(COMPDIR)
	install -m 755 $(if $(STRIP),-s --strip-program=$(STRIP)) $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(PREFIX)/share/man/man7/
	install -m 644 bash-completion/vmcoreutils $(DESTDIR)$(COMPDIR)/vmcoreutils
	for p in $(PROG_SRCS:bin/%.c=%); do ln -sf vmcoreutils $(DESTDIR)$(COMPDIR)/$$p || exit 1; done

# What is timed is what ships: the static programs (as make static links
# them, here into build-static/bin; BENCH_BINDIR=bin times the dynamic ones,
# whose loader adds about 2 ms a run).
BENCH_BINDIR ?= build-static/bin
bench: $(GENS)
	@$(MAKE) --no-print-directory $(SUBJ) progs O=build-static BINDIR=build-static/bin SAN= \
		LDFLAGS="-static" LDLIBS="$(STATIC_LIBS)"
	@$(MAKE) --no-print-directory $(SUBJ) progs
	@BINDIR=$(BENCH_BINDIR) O=$(O) bash tests/bench.sh $(CASES)

fuzz:
	@$(MAKE) --no-print-directory $(SUBJ) FUZZ=1 fuzzers
fuzzers: $(FUZZERS)

# Each harness for FUZZ_SECONDS; its working corpus lives in build-fuzz/corpus/X
# (seeded from tests/fuzz/corpus/X when that exists); a crash fails the target.
fuzz-smoke: fuzz
	@set -e; for n in $(FUZZ_SRCS:tests/fuzz/%.c=%); do \
		c=build-fuzz/corpus/$$n; mkdir -p $$c; \
		s=; [ -d tests/fuzz/corpus/$$n ] && s=tests/fuzz/corpus/$$n; \
		echo "fuzz-smoke: $$n for $(FUZZ_SECONDS) s"; \
		build-fuzz/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=build-fuzz/$$n- $$c $$s; \
	done

# Whole programs on mutated fixture dumps, under ASan+UBSan+LSan with a
# time and an RSS cap per run (tests/fuzz/programs.sh); findings become
# recipes in build-san/fuzz-programs.  The long run: FUZZP_SECONDS=7200.
FUZZP_SECONDS ?= 180
fuzz-programs: deps
	@$(MAKE) --no-print-directory $(SUBJ) SAN=1 all
	@FUZZP_SECONDS=$(FUZZP_SECONDS) O=$(CURDIR)/build-san bash tests/fuzz/programs.sh

clean:
	rm -rf build build-san build-static build-fuzz $(PROG_SRCS:bin/%.c=bin/%)

-include $(LIB_OBJS:.o=.d) $(PROG_SRCS:%.c=$(O)/%.d) $(UNIT_SRCS:%.c=$(O)/%.d) \
	$(GEN_SRCS:%.c=$(O)/%.d) $(FUZZ_SRCS:%.c=$(O)/%.d) $(EX_SRCS:%.c=$(O)/%.d)
-include tests/fuzz/fuzz.mk
