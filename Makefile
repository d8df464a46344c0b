# csf-tui — one non-recursive GNU Makefile.
#   make run      install what is missing, build, open the TUI on samples/
#   make test     install what is missing, build, run every test suite
#   make asan     the whole suite under AddressSanitizer + UBSan (build in build-asan/)
#   make bench    benchmarks with ratios against baselines (tests/bench)
#   make fuzz     every libFuzzer target briefly (FUZZ_SECONDS)
# V=1 shows full commands. Local overrides go in config.mk.
-include config.mk

PREFIX   ?= /usr/local
DESTDIR  ?=
O        ?= build
CC       ?= cc
PKGS     ?= ncursesw yaml-0.1 libcjson libgit2 libcurl
WERROR   ?=
SAN      ?=
OPT      ?= -O2 -g
FUZZ_SECONDS ?= 20

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings \
	    -Wformat=2 -Wcast-qual -Wundef -Wno-format-nonliteral
PKG_CFLAGS := $(filter-out -D_%,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lreadline
CORE_LIBS  := $(shell pkg-config --libs yaml-0.1 libcjson libgit2 libcurl 2>/dev/null) -lm
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
CSF_CFLAGS := -std=c11 -pedantic -D_GNU_SOURCE \
	      $(WARN) $(WERROR) $(OPT) $(SAN) -I. -I$(O)/gen $(PKG_CFLAGS) $(CFLAGS)
CSF_LDFLAGS := $(SAN) $(LDFLAGS)
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Module lists are globbed so that adding a module is adding a file; layering is enforced by
# check-layering and by linking the unit tests against core only.
CORE_SRCS := $(sort $(wildcard core/*.c))
TUI_SRCS  := $(sort $(wildcard tui/*.c))
VIEW_SRCS := $(sort $(wildcard views/*.c))
GEN_SRCS  := $(O)/gen/builtin_config.c
CORE_OBJS := $(CORE_SRCS:%.c=$(O)/%.o)
TUI_OBJS  := $(TUI_SRCS:%.c=$(O)/%.o) $(VIEW_SRCS:%.c=$(O)/%.o) $(O)/gen/builtin_config.o
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
BENCH_SRCS := $(sort $(wildcard tests/bench/*.c))
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(O)/bench/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
LIBCSF    := $(O)/libcsf.a
BIN       := $(O)/csf-tui

.PHONY: all run test test-unit test-cli test-screen test-tmux test-integration test-validate \
	asan bench fuzz deps deps-build check-layering install uninstall clean
all: $(BIN)

deps-build:
	@sh tools/deps.sh build
deps:
	@sh tools/deps.sh test

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CSF_CFLAGS) -DCSF_VERSION='"$(VERSION)"' -MMD -MP -c -o $@ $<

$(O)/gen/builtin_config.c: tools/gen-builtin.sh $(wildcard keymaps/*.keys themes/*.theme)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)sh tools/gen-builtin.sh keymaps themes > $@.tmp && mv $@.tmp $@

$(O)/gen/builtin_config.o: $(O)/gen/builtin_config.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CSF_CFLAGS) -c -o $@ $<

$(LIBCSF): $(CORE_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(TUI_OBJS) $(LIBCSF) | check-layering
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CSF_LDFLAGS) -o $@ $(TUI_OBJS) $(LIBCSF) $(PKG_LIBS) -lm

# Unit tests link only core: curses leaking into core breaks the link.
$(O)/tests/%: tests/unit/%.c $(LIBCSF)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CSF_CFLAGS) $(CSF_LDFLAGS) -o $@ $< $(LIBCSF) $(CORE_LIBS) $(CMOCKA_LIBS)

$(O)/bench/%: tests/bench/%.c $(LIBCSF)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CSF_CFLAGS) $(CSF_LDFLAGS) -o $@ $< $(LIBCSF) $(CORE_LIBS)

check-layering:
	@if grep -nE '#include[[:space:]]*[<"](n?curses|ncursesw/|term\.h|readline/|tui/|views/)' core/*.c core/*.h; then \
		echo "check-layering: core/ must not include curses, readline, tui/ or views/" >&2; exit 1; fi
	@if grep -nE '#include[[:space:]]*"views/' tui/*.c tui/*.h 2>/dev/null | grep -v 'views/view.h'; then \
		echo "check-layering: tui/ knows views only through views/view.h" >&2; exit 1; fi

run: deps-build $(BIN)
	./$(BIN) --workspace samples

test: deps
	@$(MAKE) --no-print-directory all units
	@O=$(O) sh tools/run-tests.sh unit cli screen tmux validate integration

units: $(UNIT_BINS)
test-unit: units
	@O=$(O) sh tools/run-tests.sh unit
test-cli: all
	@O=$(O) sh tools/run-tests.sh cli
test-screen: all
	@O=$(O) UPDATE=$(UPDATE) sh tools/run-tests.sh screen
test-tmux: all
	@O=$(O) sh tools/run-tests.sh tmux
test-validate: all
	@O=$(O) sh tools/run-tests.sh validate
test-integration: all
	@O=$(O) sh tools/run-tests.sh integration

# The whole suite, sanitized, in its own build tree.
asan: deps
	@$(MAKE) --no-print-directory O=build-asan CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" all units
	@O=build-asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 CSF_SANITIZED=1 \
		sh tools/run-tests.sh unit cli screen tmux validate integration

bench: deps-build all $(BENCH_BINS)
	@O=$(O) sh tests/bench/run.sh

# libFuzzer targets link core built with -fsanitize=fuzzer-no-link.
FUZZ_O := build-fuzz
fuzz: deps
	@$(MAKE) --no-print-directory O=$(FUZZ_O) CC=clang OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fsanitize=fuzzer-no-link" $(FUZZ_O)/libcsf.a
	@mkdir -p $(FUZZ_O)/fuzz
	@set -e; for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
		echo "  FUZZ    $$n ($(FUZZ_SECONDS)s)"; \
		clang -std=c11 -D_GNU_SOURCE -I. $(PKG_CFLAGS) -g -O1 -fsanitize=address,undefined,fuzzer \
			-o $(FUZZ_O)/fuzz/$$n $$f $(FUZZ_O)/libcsf.a $(CORE_LIBS); \
		mkdir -p $(FUZZ_O)/corpus/$$n; \
		$(FUZZ_O)/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
			-artifact_prefix=$(FUZZ_O)/ $(FUZZ_O)/corpus/$$n tests/fuzz/corpus/$$n 2>$(FUZZ_O)/$$n.log \
			|| { tail -40 $(FUZZ_O)/$$n.log; exit 1; }; \
		grep -E '^#[0-9]+.*DONE' $(FUZZ_O)/$$n.log | tail -1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/csf-tui
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -d $(DESTDIR)$(PREFIX)/share/csf-tui
	rm -rf $(DESTDIR)$(PREFIX)/share/csf-tui/samples
	git ls-files samples | tar -cf - -T - | tar -xf - -C $(DESTDIR)$(PREFIX)/share/csf-tui
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/csf-tui $(DESTDIR)$(PREFIX)/share/man/man1/csf-tui.1 \
		$(patsubst man/%,$(DESTDIR)$(PREFIX)/share/man/man5/%,$(wildcard man/*.5))
	rm -rf $(DESTDIR)$(PREFIX)/share/csf-tui

# The action and slot tables of man/csf-tui-keys.5 and csf-tui-theme.5, from their sources.
update-docs:
	@sh tools/gen-doc.sh update

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(O) -name '*.d' 2>/dev/null)
