#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang-14, ASan + UBSan) and runs each for SECONDS
# (default 60) from its seed corpus fuzz/corpus/<target>/. New inputs go to
# build-fuzz/work/<target>/ (not committed); crashes to build-fuzz/artifacts/<target>/.
# Prints one line per target (executions, CPU time, crashes); exits non-zero on any crash.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     FUZZ_JOBS=2 runs two targets at a time
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_wire fuzz_scenario fuzz_host fuzz_trace_json fuzz_run)
jobs="${FUZZ_JOBS:-1}"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" >/dev/null

max_len() {
  case "$1" in
    fuzz_wire) echo 4096 ;;        # an IPv4 packet (most are far smaller)
    fuzz_scenario) echo 16384 ;;   # the fuzz target's own Limits::max_file_bytes is 64 KiB
    fuzz_host) echo 4096 ;;        # a script of at most 256 actions
    fuzz_trace_json) echo 65536 ;;
    fuzz_run) echo 16384 ;;        # a scenario file; its Limits::max_file_bytes is 64 KiB
  esac
}

# fuzz_run runs whole scenarios under small Limits (fuzz/fuzz_run.cpp), each in a child process:
# each input ends within a second or two of CPU and a few hundred MB, so one that takes 10 s of
# CPU (FUZZ_RUN_CPU_S) or 1.5 GB (FUZZ_RUN_RSS_MB) is a finding (a limit missing); the harness
# checks those on the child. -rss_limit_mb is the parent's; -timeout (wall time) a backstop.
rss_limit() { case "$1" in fuzz_run) echo 1024 ;; *) echo 2048 ;; esac; }
timeout_s() { case "$1" in fuzz_run) echo 60 ;; *) echo 20 ;; esac; }

# crash-, leak-, timeout- and oom- inputs fail the run; slow-unit- ones (over 10 s once, on a
# loaded machine) are kept but do not.
crashes() { find "$1" -type f ! -name 'slow-unit-*' | wc -l; }

run_one() {
  local t="$1" work="build-fuzz/work/$1" art="build-fuzz/artifacts/$1" log="build-fuzz/logs/$1.log"
  mkdir -p "$work" "$art" build-fuzz/logs
  local before
  before=$(crashes "$art")
  # libFuzzer's exit status is ignored here: the artifacts directory says what was found.
  ( set +e
    "build-fuzz/fuzz/$t" "$work" "fuzz/corpus/$t" -max_total_time="$seconds" -max_len="$(max_len "$t")" \
      -rss_limit_mb="$(rss_limit "$t")" -timeout="$(timeout_s "$t")" -print_final_stats=1 -artifact_prefix="$art/" >"$log" 2>&1
    times >"$log.cpu" ) || true
  local execs cpu after
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # `times` prints the shell's then its children's user and system time: "1m2.5s 0m0.3s".
  cpu=$(sed -n 2p "$log.cpu" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.0f", u[1]*60 + u[2] + s[1]*60 + s[2] }')
  after=$(crashes "$art")
  echo "fuzz: $t: ${execs:-0} executions, ${cpu:-?} s CPU, $((after - before)) crashes (log: $log)"
  if [ "$after" -gt "$before" ]; then
    grep -m3 -E "ERROR|invariant|runtime error|exception" "$log" | sed "s/^/fuzz: $t:   /" || true
    ls -t "$art" | head -3 | sed "s|^|fuzz: $t:   artifact $art/|"
    return 1
  fi
}

status=0
pids=()
for t in "${targets[@]}"; do
  if [ "$jobs" -le 1 ]; then
    run_one "$t" || status=1
  else
    run_one "$t" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$jobs" ]; then
      wait "${pids[0]}" || status=1
      pids=("${pids[@]:1}")
    fi
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
[ "$status" -eq 0 ] && echo "fuzz: no crash" || echo "fuzz: CRASHES FOUND (inputs in build-fuzz/artifacts/)"
exit "$status"
