#!/bin/sh
# generate.sh ROWS OUT: ROWS lines "n,value", a few of them malformed.
set -eu
rows=$1 out=$2
awk -v rows="$rows" 'BEGIN { srand(42); for (i = 1; i <= rows; i++) { if (i % 97 == 0) print "bad line"; else printf "%d,%.3f\n", i, rand() * 100 } }' > "$out"
if [ -n "${BLACKBOARD_TRACK:-}" ]; then
  printf '{"user.rows_generated": %s}\n' "$rows" >> "$BLACKBOARD_TRACK"
fi
