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

.PHONY: all deps build release run test bench clean install uninstall

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

# Benchmarks (never part of `make test`): core in process, W1-W7 against the
# daemon, memory per connection, the peer brokers in the same sitting, then
# tables, CSV and plots in bench/results. About 30 minutes; see docs/PERFORMANCE.md.
bench: deps
	bench/run.sh

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
	rm -rf .build var
