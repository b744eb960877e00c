#!/bin/sh
# Builds peerbench's load generator with the Blackboard protocol plugged in.
#   bench/loadgen/build.sh OUTDIR        (PEERBENCH=dir of loadgen.c, default ../shared/peerbench)
# loadgen.c is read from PEERBENCH, never copied into this repository: the
# build inserts `#include "blackboard_proto.c"` before its protocol table and
# one table entry in place of its `newbroker` placeholder, in OUTDIR.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: build.sh OUTDIR}
peer=${PEERBENCH:-$root/../shared/peerbench}
[ -f "$peer/loadgen.c" ] || [ -n "${PEERBENCH:-}" ] || peer=/work/shared/peerbench
[ -f "$peer/loadgen.c" ] || { echo "build.sh: no loadgen.c in $peer (set PEERBENCH)" >&2; exit 2; }
mkdir -p "$out"
grep -q '^static const proto_t protos\[\] = {' "$peer/loadgen.c" \
  && grep -q '/\* {"newbroker"' "$peer/loadgen.c" \
  || { echo "build.sh: $peer/loadgen.c has no protocol table to extend" >&2; exit 2; }
sed -e "s|^static const proto_t protos\[\] = {|#include \"$here/blackboard_proto.c\"\n&|" \
    -e 's|^\( *\)/\* {"newbroker".*|\1{"blackboard", 7070, bb_hello, bb_publish, bb_parse},|' \
    "$peer/loadgen.c" > "$out/loadgen-blackboard.c"
${CC:-gcc} -O2 -Wall -pthread -o "$out/loadgen" "$out/loadgen-blackboard.c"
echo "$out/loadgen"
