#!/bin/sh
# clean.sh IN OUT PARITY: keeps well-formed rows whose number has the given parity.
set -eu
in=$1 out=$2 parity=$3
awk -F, -v p="$parity" 'NF == 2 && $1 ~ /^[0-9]+$/ && $1 % 2 == p' "$in" > "$out"
dropped=$(awk -F, -v p="$parity" '!(NF == 2 && $1 ~ /^[0-9]+$/) && NR % 2 == p' "$in" | wc -l)
if [ -n "${BLACKBOARD_TRACK:-}" ]; then
  # A user event, and a request for a resource sample on the spot.
  printf '{"user.rows_dropped": %s, "resource": ["res.memory", "res.io"]}\n' "$dropped" >> "$BLACKBOARD_TRACK"
fi
