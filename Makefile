# Blackboard — the two commands that matter: `make run` and `make test`.
SWIFT      ?= swift
HOST       ?= 127.0.0.1
PORT       ?= 7070
ARGS       ?=
PREFIX     ?= /usr/local
DESTDIR    ?=

.PHONY: all deps build release run test bench clean

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
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Benchmarks (never part of `make test`): core in process, W1-W7 against the
# daemon, memory per connection, the peer brokers in the same sitting, then
# tables, CSV and plots in bench/results. About 30 minutes; see docs/PERFORMANCE.md.
bench: deps
	bench/run.sh

clean:
	rm -rf .build var
