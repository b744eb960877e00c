#!/bin/sh
# summarize.sh IN: mean and count of the values, computed the slow way (CPU work).
set -eu
awk -F, '{ s += $2; n++; for (k = 0; k < 300; k++) x = sin(x + $2) } END { printf "rows %d mean %.3f (%f)\n", n, s / n, x }' "$1"
