#!/usr/bin/env bash
# Runs every published benchmark in sequence, each bounded, and keeps the JSON, the summaries and the machine's
# load around each run in RESULTS_DIR. Usage (from the repo root, after building server and bench):
#   bench/scripts/run-all.sh [RESULTS_DIR]
# The server jar is copied first so a rebuild during the runs cannot change it.
set -u
out=${1:-bench-results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# SERVER_JAR: a jar built elsewhere (e.g. from a clean `git archive HEAD`); default: a copy of server/target's.
jar=$(mktemp -d)/parley-server.jar
cp "${SERVER_JAR:-server/target/parley-server.jar}" "$jar"
bench="java -jar bench/target/parley-bench.jar"
{
  echo "server jar: ${SERVER_JAR:-server/target/parley-server.jar} ${SERVER_DESC:-}"
  echo "server commit: $(git log -1 --format='%h %s' -- server/)"
  echo "server tree dirty: $(git status --short server/ | wc -l) files"
  echo "bench commit: $(git log -1 --format='%h %s' -- bench/)"
  nproc; free -g | head -2; java -version 2>&1 | head -1; uname -r
} > "$out/machine.txt"

# The JDK's profile settings, sampling Java stacks every 2 ms and native ones every 5 ms (profile: 10/20 ms).
jfc="$out/sampling.jfc"
sed -e '/jdk.ExecutionSample"/,/<\/event>/s#<setting name="period"[^>]*>[^<]*</setting>#<setting name="period">2 ms</setting>#' \
    -e '/jdk.NativeMethodSample"/,/<\/event>/s#<setting name="period"[^>]*>[^<]*</setting>#<setting name="period">5 ms</setting>#' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$jfc"

# With QUIET_WAIT=SECONDS, each step first waits (at most that long) for 10 s in which the machine's busy CPU
# stays under 0.15 cores, so runs start on a quiet machine; the JSON's cpu.other_cores_used says if it stayed so.
busy_jiffies() { head -1 /proc/stat | awk '{print $2+$3+$4+$7+$8}'; }
wait_quiet() {
  local deadline=$(( $(date +%s) + ${QUIET_WAIT:-0} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    local a b; a=$(busy_jiffies); sleep 10; b=$(busy_jiffies)
    [ $(( b - a )) -lt 150 ] && return 0   # 150 jiffies in 10 s = 0.15 cores
  done
}

step() {
  local name=$1; shift
  wait_quiet
  { echo "== $name  $(date -u +%H:%M:%S)  $(uptime)"; top -bn1 | sed -n '7,12p'; } >> "$out/load.txt"
  echo "== $name: $*" | tee -a "$out/summary.txt"
  timeout "${LIMIT:-900}" "$@" --server-jar "$jar" --json "$out/$name.json" 2>"$out/$name.err" | tee -a "$out/summary.txt"
  echo "   exit $?  $(date -u +%H:%M:%S)" | tee -a "$out/summary.txt"
  echo "   after: $(uptime)" >> "$out/load.txt"
}

only=${ONLY:-pairs findmax connections storm fanout}
for s in $only; do
  case $s in
    pairs)       step pairs-5000       $bench pairs -n 1000 -r 5000 -d 60 --warmup 5 ;;
    findmax)     step pairs-find-max   $bench pairs -n 1000 --find-max --start-rate 1000 --step-factor 1.25 --step-duration 10 ;;
    connections) step connections      $bench connections -c 19000 ;;
    storm)       step storm-10000      $bench storm -c 10000 ;;
    fanout)      step fanout           $bench fanout -m 500 -s 5 -r 100 -d 30 ;;
    jfr)         step pairs-jfr        $bench pairs -n 1000 -r 5000 -d 30 --warmup 5 \
                   --server-jvm-args "-XX:StartFlightRecording=filename=$out/server-pairs.jfr,settings=$jfc"
                 python3 bench/scripts/jfr-top.py "$out/server-pairs.jfr" 40 > "$out/server-pairs.jfr.txt" 2>&1 ;;
    jmh)         wait_quiet; { echo "== jmh  $(date -u +%H:%M:%S)  $(uptime)"; } >> "$out/load.txt"
                 timeout 1200 java -cp bench/target/parley-bench.jar org.openjdk.jmh.Main -rf json -rff "$out/jmh.json" \
                   FrameCodecBenchmark StoreAppendBenchmark > "$out/jmh.txt" 2>&1
                 tail -25 "$out/jmh.txt" | tee -a "$out/summary.txt" ;;
    normal)      step pairs-5000-normal $bench pairs -n 1000 -r 5000 -d 60 --warmup 5 --durability NORMAL ;;
  esac
done
echo "results in $out"
