#!/usr/bin/env bash
# Runs each fuzz target in turn, one process on one core, for SECONDS each
# (default 60), after seeding the corpus, and prints a Markdown table row per
# target: seconds, executions, exec/s, corpus, coverage, findings.
#
# Usage: fuzz/run-all.sh [seconds] [target...]
# Logs: fuzz/logs/<target>/fuzz-0.log (git-ignored). A crash leaves its input
# in fuzz/artifacts/<target>/ and the row says so.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-60}
shift || true
all_targets=(decode_integrations decode_integration decode_provider_permission
    decode_error_body timestamp paging resolve_next_base retry_after next_origin
    peek_next decode_graph filter webhook)
targets=("${@:-${all_targets[@]}}")

"$here/seed-corpus.sh" "${targets[@]}"
export RUSTC_BOOTSTRAP=1
# Build everything first, so build time is not counted in the run.
cargo fuzz build --fuzz-dir "$here" >/dev/null 2>&1 || echo "run-all: the build failed; see cargo fuzz build" >&2

echo "| target | seconds | executions | exec/s | corpus | coverage | findings |"
echo "|---|---|---|---|---|---|---|"
for t in "${targets[@]}"; do
    logdir="$here/logs/$t"
    mkdir -p "$logdir"
    rm -f "$logdir"/fuzz-*.log
    before=$(find "$here/artifacts/$t" -type f 2>/dev/null | wc -l)
    start=$(date +%s)
    (cd "$logdir" && cargo fuzz run --fuzz-dir "$here" "$t" -- \
        -max_total_time="$secs" -jobs=1 -workers=1 -dict="$here/dicts/edlink.dict" \
        >"$logdir/cargo.log" 2>&1)
    rc=$?
    elapsed=$(($(date +%s) - start))
    log="$logdir/fuzz-0.log"
    last=$(grep -E '^#[0-9]+' "$log" 2>/dev/null | tail -1)
    execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
    rate=$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$last")
    corp=$(sed -nE 's/.*corp: ([0-9]+)\/.*/\1/p' <<<"$last")
    cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$last")
    after=$(find "$here/artifacts/$t" -type f 2>/dev/null | wc -l)
    if grep -qE 'panicked at|ERROR: libFuzzer|SUMMARY: ' "$log" 2>/dev/null; then
        what=$(grep -m1 -E 'panicked at' -A1 "$log" | tr '\n' ' ' | cut -c1-160)
        findings="CRASH ($((after - before)) new artifact(s)): ${what:-see $log}"
    elif ((rc != 0)); then
        findings="run failed (exit $rc), see $logdir/cargo.log"
    else
        findings="none"
    fi
    echo "| $t | $secs (wall $elapsed) | ${execs:-?} | ${rate:-?} | ${corp:-?} | ${cov:-?} | $findings |"
done
