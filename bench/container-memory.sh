#!/usr/bin/env bash
# Memory of the proxy as the container runs it: the jar with the JVM flags of docker/Dockerfile's
# ENTRYPOINT, INSECURE_SERVER, an empty --config file and the rest from the environment, one route
# to an nginx upstream. Measures, from /proc/PID/status and jstat:
#   idle     after start-up and 10 requests, then after a further --idle s of nothing
#   load     during --duration s of `wrk -c<connections>` on the route (sampled every second)
#   after    --idle s after the load has stopped, and after a full GC (jcmd GC.run)
# VmRSS is resident memory, VmHWM its peak; RssAnon/RssFile split VmRSS into anonymous memory
# (heap, metaspace, JIT code, malloc) and mapped files (libjvm.so, the runtime's modules image, the
# class-data sharing archives); heap used/committed is the sum of jstat -gc's columns; "live after
# GC" is heap used after jcmd GC.run.
#
#   bench/container-memory.sh                       the Dockerfile's flags, 100 connections, 30 s
#   bench/container-memory.sh --jvm-opts "-XX:+UseG1GC -XX:MaxRAMPercentage=25 -XX:+ExitOnOutOfMemoryError"
#   bench/container-memory.sh --java /path/to/jlinked/bin/java --connections 200 --duration 60
#   bench/container-memory.sh --ram 1g              size the JVM as on a NAS with 1 GB (adds -XX:MaxRAM=1g:
#                                                   the JVM then sizes its heap from 1 GB, as it would
#                                                   from a container limit or a 1 GB machine)
#   bench/container-memory.sh --nmt                 also -XX:NativeMemoryTracking=summary, and print where
#                                                   the committed memory is at idle, right after the load
#                                                   and after it (jcmd)
#   bench/container-memory.sh --dump DIR            keep, for each phase, jcmd VM.native_memory summary (with
#                                                   --nmt; with --nmt-detail its detail, which maps NMT's
#                                                   areas to addresses), Thread.print and /proc/PID/smaps in DIR
#   bench/container-memory.sh --signed-in           the route lets one email in (built-in provider, as
#                                                   bench/proxy-vs-nginx.sh --signed-in): a real sign-in with
#                                                   curl before the first 10 requests, and every request of the
#                                                   load carries its session cookie
#   bench/container-memory.sh --quick               a smoke test of the script (~30 s)
#
# Listens on 127.0.0.1 only, stops what it started on exit (see lib.sh), prints a Markdown table.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$REPO/proxy-core/target/portcullis.jar"
BUILD=1 PIN=0 KEEP=0 DURATION=30 CONNECTIONS=100 THREADS=2 WAIT_IDLE=0 RETRIES=0
IDLE=20 JAVA_BIN=java JVM_OPTS="" LABEL="" RAM="" NMT=0 DUMP="" SIGNED_IN=0

usage() { sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; }
while (( $# )); do
  case $1 in
    --jar) JAR=$2; shift ;;
    --no-build) BUILD=0 ;;
    --java) JAVA_BIN=$2; shift ;;
    --jvm-opts) JVM_OPTS=$2; shift ;;
    --connections) CONNECTIONS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --idle) IDLE=$2; shift ;;
    --label) LABEL=$2; shift ;;
    --ram) RAM=$2; shift ;;
    --nmt) NMT=1 ;;
    --nmt-detail) NMT=2 ;;
    --dump) DUMP=$2; shift ;;
    --keep) KEEP=1 ;;
    --signed-in) SIGNED_IN=1 ;;
    --quick) DURATION=5; IDLE=3 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=lib.sh
source "$REPO/bench/lib.sh"

# The JVM flags between ".../bin/java" and "-jar" in the Dockerfile's ENTRYPOINT (JSON form), less
# -XX:SharedArchiveFile: the image's application archive is made for the image's runtime and jar and
# exists only there (JDK 17 given a missing archive maps no archive at all, not even the runtime's own).
dockerfile_jvm_opts() {
  python3 - "$REPO/docker/Dockerfile" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
lines = re.findall(r'^ENTRYPOINT\s+(\[.*\])\s*$', text, re.M)
argv = json.loads(lines[-1])
print(" ".join(a for a in argv[1:argv.index("-jar")] if not a.startswith("-XX:SharedArchiveFile=")))
EOF
}
[[ -n "$JVM_OPTS" ]] || JVM_OPTS="$(dockerfile_jvm_opts)" || die "cannot read the ENTRYPOINT of docker/Dockerfile"
[[ -z "$RAM" ]] || JVM_OPTS="$JVM_OPTS -XX:MaxRAM=$RAM"
(( NMT != 1 )) || JVM_OPTS="$JVM_OPTS -XX:NativeMemoryTracking=summary"
(( NMT != 2 )) || JVM_OPTS="$JVM_OPTS -XX:NativeMemoryTracking=detail"
JAVA_HOME_OF_BIN="$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA_BIN")")")")"
# jstat/jcmd of the same JDK as the measured java; a jlinked runtime has none, so then from PATH
# (or JDK_TOOLS=/path/to/jdk/bin, which should be of the same feature release).
tool() {
  if [[ -n "${JDK_TOOLS:-}" ]]; then echo "$JDK_TOOLS/$1"
  elif [[ -x "$JAVA_HOME_OF_BIN/bin/$1" ]]; then echo "$JAVA_HOME_OF_BIN/bin/$1"
  else command -v "$1" || echo "$1"; fi
}
JSTAT="$(tool jstat)"; JCMD="$(tool jcmd)"
[[ -x "$JSTAT" && -x "$JCMD" ]] || die "jstat/jcmd not found (a JDK is needed to read the heap)"

bench_tools 1
bench_build
UPSTREAM_WORKERS=1
bench_start $(( 180 + 3 * IDLE + DURATION ))
bench_snapshot_jar

UP_PORT=$(free_port); PX_PORT=$(free_port)
write_upstream_conf "$WORK/up" "$UP_PORT"
# shellcheck disable=SC2034 # read by start_nginx through a nameref
NO_TS=()
start_nginx "$WORK/up" NO_TS
wait_http "http://127.0.0.1:$UP_PORT/" x hello 10 "$LAST_PID" || die "upstream nginx did not start"

# The container's command line: an empty config file, everything else from the environment; with
# --signed-in the built-in provider's lines and the route's policy are in the file instead of POLICY.
SECRET=$(rand_b64)
AUTH=()
if (( SIGNED_IN )); then
  bench_builtin_provider "$WORK/users.yaml" "$PX_PORT"
  printf '%s\nroutes:\n  - from: http://bench.localhost\n    to: http://127.0.0.1:%s\n%s\n' \
    "$SIGN_IN_YAML" "$UP_PORT" "$SIGN_IN_POLICY" > "$WORK/config.yaml"
  POLICY=""
else
  : > "$WORK/config.yaml"
  POLICY=$(printf -- '- from: http://bench.localhost\n  to: http://127.0.0.1:%s\n  allow_public_unauthenticated_access: true\n' "$UP_PORT" | base64 -w0)
fi
# shellcheck disable=SC2086 # JVM_OPTS is a list of flags
env INSECURE_SERVER=TRUE ADDRESS="127.0.0.1:$PX_PORT" ${POLICY:+POLICY="$POLICY"} \
    COOKIE_SECRET="$SECRET" SHARED_SECRET="$SECRET" \
    "$JAVA_BIN" $JVM_OPTS -jar "$JAR" --config "$WORK/config.yaml" \
    >"$WORK/proxy.out" 2>"$WORK/proxy.err" &
PX=$!; PIDS+=("$PX")
if (( SIGNED_IN )); then
  wait_http "http://127.0.0.1:$PX_PORT/ping" bench.localhost OK 60 "$PX" \
    || { tail -20 "$WORK/proxy.err" >&2; die "the proxy did not start"; }
  # refused without a cookie, then a real sign-in that ends at the upstream's "hello"
  bench_sign_in_route COOKIE portcullis "$PX_PORT"
  AUTH=(-H "Cookie: _pomerium=$COOKIE")
else
  wait_http "http://127.0.0.1:$PX_PORT/" bench.localhost hello 60 "$PX" \
    || { tail -20 "$WORK/proxy.err" >&2; die "the proxy did not serve the route"; }
fi

# heap "used committed" in KiB, from jstat -gc (S0U S1U EU OU / S0C S1C EC OC), for any collector.
heap_kb() {
  "$JSTAT" -gc "$PX" | awk 'NR==1{for(i=1;i<=NF;i++)c[$i]=i} NR==2{
    printf "%d %d\n", $c["S0U"]+$c["S1U"]+$c["EU"]+$c["OU"], $c["S0C"]+$c["S1C"]+$c["EC"]+$c["OC"]}'
}
mib() { awk -v k="$1" 'BEGIN{printf "%.0f", k/1024}'; }
threads() { awk '$1=="Threads:"{print $2}' "/proc/$PX/status"; }
ROWS=()
row() { # phase rss hwm anon file heap_used heap_committed threads
  ROWS+=("| $1 | $(mib "$2") | $(mib "$3") | $(mib "$4") | $(mib "$5") | $(mib "$6") | $(mib "$7") | $8 |")
}
snapshot() { # phase
  local h; read -r -a h <<<"$(heap_kb)"
  row "$1" "$(status_kb "$PX" VmRSS)" "$(status_kb "$PX" VmHWM)" "$(status_kb "$PX" RssAnon)" \
      "$(status_kb "$PX" RssFile)" "${h[0]}" "${h[1]}" "$(threads)"
}

# inspect TAG: NMT's committed memory per area into $WORK/nmt-TAG.txt (with --nmt), and with --dump DIR
# the whole NMT summary, the threads and the memory mappings into DIR/TAG.*
inspect() {
  if (( NMT )); then
    "$JCMD" "$PX" VM.native_memory summary >"$WORK/nmt-$1.full"
    # "- Java Heap (reserved=262144KB, committed=22528KB)" -> "Java Heap|22528"
    sed -n 's/^-[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*(reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1|\2/p' \
      "$WORK/nmt-$1.full" >"$WORK/nmt-$1.txt"
  fi
  if [[ -n "$DUMP" ]]; then
    mkdir -p "$DUMP"
    (( ! NMT )) || cp "$WORK/nmt-$1.full" "$DUMP/$1.nmt"
    (( NMT != 2 )) || "$JCMD" "$PX" VM.native_memory detail >"$DUMP/$1.nmt-detail"
    "$JCMD" "$PX" Thread.print >"$DUMP/$1.threads" 2>&1 || true
    cp "/proc/$PX/smaps" "$DUMP/$1.smaps" 2>/dev/null || true
  fi
}

for _ in $(seq 1 10); do curl -s -o /dev/null "${AUTH[@]}" -H 'Host: bench.localhost' "http://127.0.0.1:$PX_PORT/"; done
snapshot "started, $( ((SIGNED_IN)) && echo 'a sign-in and ')10 requests"
sleep "$IDLE"
snapshot "idle ${IDLE} s"
inspect idle

log "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on the route"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "${AUTH[@]}" -H 'Host: bench.localhost' \
  "http://127.0.0.1:$PX_PORT/" >"$WORK/wrk.out" 2>&1 &
WRK_PID=$!
max_rss=0 max_anon=0 max_file=0 max_used=0 max_comm=0 max_thr=0
while kill -0 "$WRK_PID" 2>/dev/null; do
  sleep 1
  r=$(status_kb "$PX" VmRSS); read -r u c <<<"$(heap_kb)"; t=$(threads)
  a=$(status_kb "$PX" RssAnon); f=$(status_kb "$PX" RssFile)
  (( r > max_rss )) && max_rss=$r; (( u > max_used )) && max_used=$u
  (( a > max_anon )) && max_anon=$a; (( f > max_file )) && max_file=$f
  (( c > max_comm )) && max_comm=$c; (( t > max_thr )) && max_thr=$t
done
wait "$WRK_PID" || true; WRK_PID=""
kill -0 "$PX" 2>/dev/null || { tail -20 "$WORK/proxy.err" >&2; die "the proxy died under load"; }
row "under load, c=$CONNECTIONS (max of 1 s samples)" "$max_rss" "$(status_kb "$PX" VmHWM)" "$max_anon" "$max_file" \
    "$max_used" "$max_comm" "$max_thr"
read -r RPS _ _ ERR <<<"$(parse_wrk "$WORK/wrk.out")"
inspect load
sleep "$IDLE"
snapshot "idle ${IDLE} s after the load"
inspect after
"$JCMD" "$PX" GC.run >/dev/null
sleep 1
snapshot "after jcmd GC.run"

echo
echo "### ${LABEL:-container memory}: $(date -u +%F), $("$JAVA_BIN" -version 2>&1 | head -1)"
echo
echo "$( ((SIGNED_IN)) && echo 'Signed-in route (built-in provider, one sign-in, the session cookie on every request). ')JVM flags: \`$JVM_OPTS\`; $(nproc) CPUs, $(awk '/MemTotal/{printf "%.0f MiB", $2/1024}' /proc/meminfo) RAM;" \
     "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s: $RPS req/s, $ERR errors (non-2xx + socket)"
echo
echo "| phase | VmRSS MiB | VmHWM MiB | anon MiB | file MiB | heap used MiB | heap committed MiB | threads |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
if (( NMT )); then
  echo
  echo "Native memory tracking, committed MiB (NMT's own bookkeeping included), areas of 1 MiB or more:"
  echo
  echo "| area | idle ${IDLE} s | right after the load | idle ${IDLE} s after the load |"
  echo "|---|---:|---:|---:|"
  # the areas in the order of their size right after the load, each with its three figures
  awk -F'|' 'FILENAME ~ /idle/ {i[$1]=$2} FILENAME ~ /load/ {l[$1]=$2; o[++n]=$1} FILENAME ~ /after/ {a[$1]=$2}
    END {for (k=1;k<=n;k++) {x=o[k]; if (i[x] >= 1024 || l[x] >= 1024 || a[x] >= 1024)
           printf "%d| %s | %.0f | %.0f | %.0f |\n", l[x], x, i[x]/1024, l[x]/1024, a[x]/1024}}' \
    "$WORK/nmt-idle.txt" "$WORK/nmt-load.txt" "$WORK/nmt-after.txt" | sort -t'|' -k1,1nr | cut -d'|' -f2- | sed 's/^/|/'
fi
