# Blackboard — the two commands that matter: `make run` and `make test`.
SWIFT      ?= swift
HOST       ?= 127.0.0.1
PORT       ?= 7070
ARGS       ?=
PREFIX     ?= /usr/local
DESTDIR    ?=
# Where `make install` puts the configuration file and the systemd unit. Not under
# PREFIX: the unit names the configuration file by its path, and systemd reads
# /etc/systemd/system whatever the PREFIX (packagers: UNITDIR=/usr/lib/systemd/system).
SYSCONFDIR ?= /etc
UNITDIR    ?= /etc/systemd/system
BINDIR      = $(PREFIX)/bin
DOCDIR      = $(PREFIX)/share/doc/blackboard
# The installed binaries link the Swift runtime statically (no dependency on the
# toolchain's directory), so they are built apart from `make release`.
INSTALLBUILD = .build/install

.PHONY: all deps build release run test test-sanitize bench fuzz clean install uninstall

all: build

# Debian packages the build and the tests need (installed if missing).
deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Build in release mode and run the daemon in the foreground with the defaults.
run: release
	@mkdir -p var
	.build/release/blackboardd --config config/blackboard.conf --host $(HOST) --port $(PORT) $(ARGS)

# Unit tests of every module and integration tests against the real daemon.
# The hostile-client suite runs first and alone: it loads the machine on purpose
# (floods, 500 connections), which on 2 cores starves the other suites' async tests.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter HostileClientTests
	$(SWIFT) test --skip-build --skip HostileClientTests

# The same two passes as `test`, under AddressSanitizer (with leak detection) and then
# ThreadSanitizer, each built in its own directory (.build-asan, .build-tsan) so the
# normal build is untouched; the daemons and CLIs the integration tests start are the
# sanitized builds. Reports from any process, children included, are collected in
# <dir>/sanitizer-logs and fail the target. Never part of `make test`: about 6 minutes
# on 2 cores once built, plus about 7 per sanitizer for a first build (README.md,
# "Sanitizers"). SANITIZERS picks one: SANITIZERS=thread.
SANITIZERS ?= address thread

test-sanitize: deps
	SWIFT=$(SWIFT) scripts/test-sanitize.sh $(SANITIZERS)

# Benchmarks (never part of `make test`): core in process, W1-W7 against the
# daemon, memory per connection, the peer brokers in the same sitting, then
# tables, CSV and plots in bench/results. About 30 minutes; see docs/PERFORMANCE.md.
bench: deps
	bench/run.sh

# libFuzzer targets over the decoders and parsers (fuzz/README.md; never part of
# `make test`). Builds each target of the fuzz package (not its make-seeds tool, which
# has a main of its own) with the fuzzer and address sanitizers, then
# runs each target for FUZZ_SECONDS from its seeds in fuzz/corpus/<target>, growing a
# working corpus in fuzz/.work/<target>. A crashing input lands in fuzz/crashes/ and
# makes the target fail; every target still runs, and the exit status is 1 if any did.
# Each entry of FUZZ_TARGETS is target:max_len (input bytes).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= command:2048 reply:2048 journal:4096 snapshot:4096 recovery:8192 config:8192 workflow:8192 trackline:1024 access:4096
FUZZBUILD     = fuzz/.build

fuzz: deps
	@for entry in $(FUZZ_TARGETS); do \
		$(SWIFT) build --package-path fuzz --scratch-path $(FUZZBUILD) -c release \
			-Xswiftc -sanitize=fuzzer,address --product fuzz-$${entry%%:*} || exit 1; \
	done
	@mkdir -p fuzz/crashes
	@failed=; for entry in $(FUZZ_TARGETS); do \
		target=$${entry%%:*}; maxlen=$${entry##*:}; mkdir -p fuzz/.work/$$target; \
		echo "== fuzz-$$target ($(FUZZ_SECONDS) s, max_len $$maxlen)"; \
		$(FUZZBUILD)/release/fuzz-$$target fuzz/.work/$$target fuzz/corpus/$$target \
			-max_total_time=$(FUZZ_SECONDS) -max_len=$$maxlen -timeout=10 -print_final_stats=1 \
			-artifact_prefix=fuzz/crashes/$$target- || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes in:$$failed (inputs in fuzz/crashes/)"; exit 1; fi

# Installs the two binaries, the systemd unit (its paths rewritten for PREFIX and
# SYSCONFDIR) and the docs; the configuration file only if none is there yet,
# otherwise beside it as blackboard.conf.new. DESTDIR stages it all for packaging.
# The unit runs the daemon as a dynamic user (DynamicUser=yes): no account to create.
install: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(INSTALLBUILD)
	install -D -m 0755 $(INSTALLBUILD)/release/blackboardd $(DESTDIR)$(BINDIR)/blackboardd
	install -D -m 0755 $(INSTALLBUILD)/release/blackboard $(DESTDIR)$(BINDIR)/blackboard
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	sed -e 's|/usr/local/|$(PREFIX)/|g' -e 's|/etc/blackboard/|$(SYSCONFDIR)/blackboard/|g' \
		systemd/blackboardd.service > $(DESTDIR)$(UNITDIR)/blackboardd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/blackboardd.service
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/blackboard/blackboard.conf ]; then \
		install -D -m 0644 config/blackboard.conf $(DESTDIR)$(SYSCONFDIR)/blackboard/blackboard.conf.new; \
		echo "kept $(DESTDIR)$(SYSCONFDIR)/blackboard/blackboard.conf; the shipped one is blackboard.conf.new beside it"; \
	else \
		install -D -m 0644 config/blackboard.conf $(DESTDIR)$(SYSCONFDIR)/blackboard/blackboard.conf; \
	fi
	install -D -m 0644 -t $(DESTDIR)$(DOCDIR) README.md
	install -D -m 0644 -t $(DESTDIR)$(DOCDIR)/docs $(filter-out docs/_%,$(wildcard docs/*.md))

# Removes what `install` put in place, except the configuration file (and any
# blackboard.conf.new) and the data in /var/lib/blackboard, which stay.
# Stop and disable the service first: `systemctl disable --now blackboardd`.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/blackboardd $(DESTDIR)$(BINDIR)/blackboard
	rm -f $(DESTDIR)$(UNITDIR)/blackboardd.service
	rm -rf $(DESTDIR)$(DOCDIR)

clean:
	rm -rf .build .build-asan .build-tsan var
