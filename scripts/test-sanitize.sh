#!/usr/bin/env bash
# `make test-sanitize`: the whole test suite, in the two passes of `make test`
# (HostileClientTests alone, then the rest), under AddressSanitizer and then
# ThreadSanitizer. Each sanitizer builds in its own scratch directory
# (.build-asan, .build-tsan), so the normal .build is left alone. The integration
# tests start blackboardd and blackboard from the test binary's own directory, so
# the daemon and the CLI they run are the sanitized builds too.
#
# Every sanitized process (the test runner and each daemon or CLI it starts)
# inherits ASAN_OPTIONS / TSAN_OPTIONS with log_path into
# <scratch>/sanitizer-logs, so a report from a child is kept even when the child is
# killed or its stderr is not looked at. A pass fails if a `swift test` fails or if
# any report file is there afterwards; the reports are printed. Both sanitizers run
# whatever the first found; the exit status is 1 if either failed.
#
# Usage: scripts/test-sanitize.sh [address|thread]...   (default: address thread)
# The tests' waits and memory bounds stretch by BLACKBOARD_TEST_TIME_SCALE and
# BLACKBOARD_TEST_MEMORY_SCALE (Tests/BlackboardTestSupport/TestScale.swift), set
# here per sanitizer; TEST_TIME_SCALE= and TEST_MEMORY_SCALE= override them.
set -uo pipefail
SWIFT=${SWIFT:-swift}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sanitizers=("$@")
[ ${#sanitizers[@]} -eq 0 ] && sanitizers=(address thread)

failed=()
for sanitizer in "${sanitizers[@]}"; do
  case $sanitizer in
    address) scratch=.build-asan; scale=4; memory=3; variable=ASAN_OPTIONS
      # halt_on_error=1: ASan cannot go on after an error anyway. detect_leaks=1 with
      # the suppressions in scripts/lsan.supp (each one says why it is not ours).
      options="halt_on_error=1:abort_on_error=0:exitcode=23:detect_leaks=1:strip_path_prefix=$root/"
      # The hostile pass bounds the daemon's RSS: a 16 MB quarantine of freed blocks
      # (not the default 256 MB, which alone passes the bound) still catches a use
      # after a recent free. The other pass keeps the default.
      hostile_options=quarantine_size_mb=16
      export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"
      ;;
    thread) scratch=.build-tsan; scale=10; memory=3; variable=TSAN_OPTIONS
      # halt_on_error=0: collect every race of the run in one go; a process that
      # reported any exits 66 at its end, so a daemon stopped by a test fails it too.
      options="halt_on_error=0:exitcode=66:second_deadlock_stack=1:suppressions=$root/scripts/tsan.supp:print_suppressions=0:strip_path_prefix=$root/"
      hostile_options=
      ;;
    *) echo "test-sanitize: unknown sanitizer '$sanitizer' (address or thread)" >&2; exit 2 ;;
  esac
  logs=$root/$scratch/sanitizer-logs
  started=$(date +%s)
  echo "== test-sanitize: $sanitizer (build in $scratch, reports in $logs)"
  if ! $SWIFT build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"; then
    failed+=("$sanitizer: build"); continue
  fi
  built=$(date +%s)
  rm -rf "$logs" && mkdir -p "$logs"
  status=()
  export BLACKBOARD_TEST_TIME_SCALE=${TEST_TIME_SCALE:-$scale}
  # The hostile suite's 32 MB RSS bound, times 3: the 64,000-entry profile flood
  # measured +57 MB under ASan (16 MB quarantine) and +37 MB under TSan.
  export BLACKBOARD_TEST_MEMORY_SCALE=${TEST_MEMORY_SCALE:-$memory}
  # At most this many tests at once: dozens of sanitized daemons started together on
  # 2 cores stall a test past the broker's 60 s ping deadline (stale_connection).
  export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=${TEST_PARALLEL:-4}
  env "$variable=$options:${hostile_options:+$hostile_options:}log_path=$logs/$sanitizer" \
    $SWIFT test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --filter HostileClientTests \
    || status+=("HostileClientTests")
  env "$variable=$options:log_path=$logs/$sanitizer" \
    $SWIFT test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --skip HostileClientTests \
    || status+=("the other suites")
  reports=$(find "$logs" -type f | sort)
  if [ -n "$reports" ]; then
    for report in $reports; do echo "---- $report"; cat "$report"; done
    status+=("$(echo "$reports" | wc -l) report file(s) in $logs")
  fi
  build=$(( built - started )); tests=$(( $(date +%s) - built ))
  echo "== test-sanitize: $sanitizer: build $((build / 60)) min $((build % 60)) s, tests $((tests / 60)) min $((tests % 60)) s"
  [ ${#status[@]} -gt 0 ] && failed+=("$sanitizer: $(IFS=,; echo "${status[*]}")")
done

if [ ${#failed[@]} -gt 0 ]; then
  printf 'test-sanitize: FAILED\n'; printf '  %s\n' "${failed[@]}"
  exit 1
fi
echo "test-sanitize: passed (${sanitizers[*]})"
