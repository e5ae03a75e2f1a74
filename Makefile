# SPDX-License-Identifier: GPL-2.0-or-later
MAKEFLAGS += -r
# vmcoreutils — plain GNU make + pkg-config.
#
#   make            build bin/vm* (dynamic)
#   make demo       install deps, build, run every program on tests/data's dump
#   make test       install deps, build, run unit + bats tests
#   make SAN=1      ASan+UBSan build into build-san/ (tests: make test SAN=1)
#   make WERROR=1   warnings are errors (CI)
#   make static     fully static programs in bin/
#   make install PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := libelf zlib lzo2 snappy libzstd capstone

ifeq ($(SAN),1)
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
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldwarf
CFLAGS  += -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 $(OPT) $(WARN) $(SANFLAGS) \
	   $(PKG_CFLAGS) -I/usr/include/libdwarf -Icommon -MMD -MP
LDFLAGS += $(SANFLAGS)
LDLIBS  := $(PKG_LIBS) -lm

LIB_SRCS  := $(sort $(wildcard common/*.c common/*/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(O)/%.o)
LIB       := $(O)/libvmcore.a
PROG_SRCS := $(sort $(wildcard bin/*.c))
PROGS     := $(PROG_SRCS:bin/%.c=$(BINDIR)/%)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNITS     := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
GEN_SRCS  := $(sort $(wildcard tests/gen/*.c))
GENS      := $(GEN_SRCS:tests/gen/%.c=$(O)/tests/gen/%)

.PHONY: all deps demo test unit bats static install clean bench fuzz fuzz-smoke
all: $(PROGS) $(UNITS) $(GENS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BINDIR)/%: $(O)/bin/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(O)/tests/%: $(O)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(O)/tests/gen/%: $(O)/tests/gen/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

deps:
	@sh tests/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh

test: deps
	@$(MAKE) --no-print-directory all
	@O=$(O) BINDIR=$(BINDIR) bash tests/run.sh

static:
	$(MAKE) --no-print-directory all O=build-static LDFLAGS="-static" \
		LDLIBS="$(PKG_LIBS) -lstdc++ -lm -lpthread" BINDIR=bin

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(PREFIX)/share/man/man7/

bench: all
	@bash tests/bench.sh

clean:
	rm -rf build build-san build-static $(PROG_SRCS:bin/%.c=bin/%)

-include $(LIB_OBJS:.o=.d) $(PROG_SRCS:%.c=$(O)/%.d) $(UNIT_SRCS:%.c=$(O)/%.d)
