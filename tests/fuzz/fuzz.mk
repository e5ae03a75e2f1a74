# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzzing: included by the Makefile (-include tests/fuzz/fuzz.mk), which
# itself builds the libFuzzer harnesses (`make fuzz`: tests/fuzz/NAME.c ->
# build-fuzz/fuzz/NAME) and runs them (`make fuzz-smoke`, FUZZ_SECONDS each,
# working corpus build-fuzz/corpus/NAME).  This file adds:
#
#   $(O)/fuzz-replay/NAME  each harness built by the normal compiler with a
#                  main() that feeds files (tests/fuzz/driver/replay.c); part
#                  of `make` / `make test`: tests/fuzz.bats replays the
#                  regression inputs tests/fuzz/regress/NAME/* through them
#   fuzz-seeds     seed corpora from the real fixtures (tests/fuzz/seeds.sh,
#                  built once into the fixture cache) copied into
#                  build-fuzz/corpus/NAME; `make fuzz-smoke` depends on it
#   fuzz-long      each harness of FUZZ_LONG (default: all) for FUZZ_RUNS
#                  executions (default 10M), FUZZ_JOBS at a time (niced), logs
#                  in FUZZ_LOGS (/tmp/fuzzlogs); crashes land in
#                  build-fuzz/NAME-crash-*

FUZZ_DRIVER  := $(O)/tests/fuzz/driver/replay.o
FUZZ_REPLAYS := $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/fuzz-replay/%)
FUZZ_NAMES   := $(FUZZ_SRCS:tests/fuzz/%.c=%)
FUZZ_RUNS    ?= 10000000
FUZZ_JOBS    ?= $(shell nproc 2>/dev/null || echo 1)
FUZZ_LOGS    ?= /tmp/fuzzlogs
FUZZ_LONG    ?= $(FUZZ_NAMES)

.PHONY: fuzz-seeds fuzz-long fuzz-replays

ifneq ($(FUZZ),1)
all: $(FUZZ_REPLAYS)
endif
fuzz-replays: $(FUZZ_REPLAYS)

$(O)/fuzz-replay/%: $(O)/tests/fuzz/%.o $(FUZZ_DRIVER) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(FUZZ_DRIVER) $(LIB) $(LDLIBS)

fuzz-seeds: $(O)/tests/gen/mkdiskdump $(O)/tests/gen/fuzzseeds
	@O=$(O) sh tests/fuzz/seeds.sh build-fuzz/corpus $(FUZZ_NAMES)

fuzz-smoke: fuzz-seeds

fuzz-long: fuzz fuzz-seeds
	@mkdir -p $(FUZZ_LOGS)
	@for n in $(FUZZ_LONG); do echo $$n; done | \
	xargs -P $(FUZZ_JOBS) -I{} sh -c 'nice -n 10 build-fuzz/fuzz/{} -runs=$(FUZZ_RUNS) \
		-print_final_stats=1 -artifact_prefix=build-fuzz/{}-crash- \
		build-fuzz/corpus/{} > $(FUZZ_LOGS)/{}.log 2>&1; \
		echo "{}: exit $$? ($$(grep -o "stat::number_of_executed_units: [0-9]*" \
		$(FUZZ_LOGS)/{}.log))"'

-include $(FUZZ_DRIVER:.o=.d)
