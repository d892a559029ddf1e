#!/usr/bin/env bash
# The signed-in route with sign-in state in Redis vs in memory, side by side in one run (issue 16).
#
# Two Portcullis processes, identical but for databroker_storage_type (memory, redis), proxy the same
# nginx upstream on the same CPUs; each is signed in to for real (built-in provider, curl), and the same
# wrk load with that cookie is sent to each in turn. Prints req/s and p99 of both, the ratio redis/memory
# per round and overall, and the Redis commands the redis process sent while it was measured, per
# request served: a signed-in request must make no round trip to Redis. See bench/README.md.
#
# Everything listens on 127.0.0.1 only; every process started is stopped on exit;
# a watchdog bounds the whole run in time.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/session-store-redis.sh [options]

  --duration SECS     length of each measured wrk run (default 20)
  --connections N     wrk connections (default 64)
  --threads N         wrk threads (default 2)
  --rounds N          memory/redis alternations (default 2)
  --warmup SECS       warm-up of each Portcullis before measuring (default 15)
  --quick             smoke test: --duration 3 --warmup 2 --rounds 1
  --no-build          do not build the jar, even when it is missing
  --jar PATH          jar to run (default proxy-core/target/portcullis.jar)
  --jvm-opts "OPTS"   JVM flags of both (default "-Xms64m -Xmx256m -XX:+UseSerialGC";
                      env PORTCULLIS_BENCH_JVM_OPTS works too)
  --no-access-log     neither writes an access line per request (log_level: warn)
  --no-pin            do not pin with taskset: everything shares all cores
  --wait-idle SECS    before each measured run, wait up to SECS for other
                      processes to leave the machine idle (default 60; 0 = no)
  --retries N         re-measure a run during which other processes used more
                      than 10% of the machine, up to N times (default 2)
  --out FILE          also write the results (markdown) to FILE
  --keep              keep the temp dir (configs, logs, raw wrk output)
  -h, --help          this text
EOF
}

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
bench_defaults
bench_options "" "$@"

bench_tools 1 redis-server:redis-server redis-cli:redis-tools
bench_build
bench_cpu_layout

# Whole run bounded: two warm-ups + measured runs + generous slack for start-up and sign-ins.
bench_start $(( WARMUP * 2 + ROUNDS * 2 * (RETRIES + 1) * (DURATION + 10 + WAIT_IDLE) + 300 ))
bench_snapshot_jar

UP_PORT=$(free_port); REDIS_PORT=$(free_port); MEM_PORT=$(free_port); RED_PORT=$(free_port)
log "cpus: $NCPU; both Portcullis on cpus $PROXY_CPUS, wrk + upstream + redis-server on cpus $LOAD_CPUS (pin=$PIN)"
log "ports: upstream $UP_PORT, redis $REDIS_PORT, portcullis/memory $MEM_PORT, portcullis/redis $RED_PORT; work dir $WORK"

# ---------------------------------------------------------------- upstream nginx
write_upstream_conf "$WORK/up" "$UP_PORT"
start_nginx "$WORK/up" TS_LOAD; UP_PID=$LAST_PID
wait_http "http://127.0.0.1:$UP_PORT/" localhost hello 10 "$UP_PID" \
  || { cat "$WORK/up/logs/"*.log >&2 || true; die "upstream nginx did not start"; }

# ---------------------------------------------------------------- redis-server
# With wrk and the upstream: like them it serves the proxy, and whatever it did on the proxy's CPUs
# would be taken from the process under test. No persistence: nothing here needs to outlive the run.
rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
mkdir -p "$WORK/redis"
"${TS_LOAD[@]}" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$WORK/redis" \
  --save "" --appendonly no --maxmemory-policy noeviction --daemonize no \
  --logfile "$WORK/redis/redis.log" >/dev/null 2>&1 &
REDIS_PID=$!; PIDS+=("$REDIS_PID")
for _ in $(seq 1 50); do [[ "$(rcli ping 2>/dev/null)" == PONG ]] && break; kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.2; done
[[ "$(rcli ping 2>/dev/null)" == PONG ]] || { tail -n 20 "$WORK/redis/redis.log" >&2 || true; die "redis-server did not start"; }
log "redis-server $(rcli info server | awk -F: '/^redis_version:/{print $2}' | tr -d '\r') (pid $REDIS_PID) on 127.0.0.1:$REDIS_PORT"

# Redis commands executed so far, one "name calls" line per command (from INFO commandstats).
redis_commands() {
  rcli info commandstats | tr -d '\r' \
    | awk '/^cmdstat_/ { sub(/^cmdstat_/, ""); split($0, kv, ":"); if (match(kv[2], /calls=[0-9]+/)) print kv[1], substr(kv[2], RSTART + 6, RLENGTH - 6) }'
}
# redis_commands_between BEFORE AFTER: "name calls" per command executed in between, the INFO of the
# BEFORE reading (counted in AFTER) left out.
redis_commands_between() {
  awk 'NR==FNR { b[$1]=$2; next } { d=$2-b[$1]; if ($1=="info") d--; if (d>0) print $1, d }' \
    <(echo "$1") <(echo "$2")
}

# ---------------------------------------------------------------- the two Portcullis
# One users file and one pair of secrets for both; only the store (and each one's port) differs.
COOKIE_SECRET=$(rand_b64) SHARED_SECRET=$(rand_b64)
BENCH_PASSWORD=""
portcullis_config() { # DIR PORT STORE-LINES
  local dir=$1 port=$2 store=$3
  mkdir -p "$dir"
  bench_builtin_provider "$WORK/users.yaml" "$port"
  cat > "$dir/config.yaml" <<EOF
address: 127.0.0.1:$port
insecure_server: true
cookie_secret: $COOKIE_SECRET
shared_secret: $SHARED_SECRET
$( ((ACCESS_LOG)) && echo "log_level: info" || echo "log_level: warn")
$SIGN_IN_YAML
$store
routes:
  - from: http://bench.localhost
    to: http://127.0.0.1:$UP_PORT
$SIGN_IN_POLICY
EOF
}
portcullis_config "$WORK/memory" "$MEM_PORT" "databroker_storage_type: memory"
portcullis_config "$WORK/redis" "$RED_PORT" "databroker_storage_type: redis
databroker_storage_connection_string: redis://127.0.0.1:$REDIS_PORT/0"

start_portcullis "$WORK/memory"; MEM_PID=$LAST_PID
start_portcullis "$WORK/redis"; RED_PID=$LAST_PID
wait_ping "portcullis/memory" "$MEM_PID" "$MEM_PORT" bench.localhost "$WORK/memory"
wait_ping "portcullis/redis" "$RED_PID" "$RED_PORT" bench.localhost "$WORK/redis"

bench_sign_in_route MEM_COOKIE portcullis/memory "$MEM_PORT"
before="$(redis_commands)"
bench_sign_in_route RED_COOKIE portcullis/redis "$RED_PORT"
signin_cmds="$(redis_commands_between "$before" "$(redis_commands)")"
# A jar without the Redis store, or a config it ignored, would sign in from memory and measure nothing.
[[ -n "$signin_cmds" ]] || die "portcullis/redis signed in without sending Redis a command: is the store in use? (see $WORK/redis/stderr.log)"
log "portcullis/redis's sign-in sent Redis: $(echo "$signin_cmds" | tr '\n' ' ')"

for side in memory redis; do
  if [[ $side == memory ]]; then port=$MEM_PORT cookie=$MEM_COOKIE; else port=$RED_PORT cookie=$RED_COOKIE; fi
  got="$(curl -s -m 5 -H "Cookie: _pomerium=$cookie" -H 'Host: bench.localhost' "http://127.0.0.1:$port/" || true)"
  [[ "$got" == "hello" ]] || die "portcullis/$side GET / with its cookie returned '${got:0:200}', want 'hello'"
done

# ---------------------------------------------------------------- measuring
# Each side gets its own cookie; everything else in the load is the same.
WRK_COMMON=(wrk -t"$THREADS" -c"$CONNECTIONS" --latency --timeout 5s -H "Host: bench.localhost")
use_side() { # memory|redis: what measure and run_wrk act on
  if [[ $1 == memory ]]; then
    PX_PID=$MEM_PID PX_NAME=portcullis/memory PX_DIR=$WORK/memory PX_PORT=$MEM_PORT
    WRK_BASE=("${WRK_COMMON[@]}" -H "Cookie: _pomerium=$MEM_COOKIE")
  else
    PX_PID=$RED_PID PX_NAME=portcullis/redis PX_DIR=$WORK/redis PX_PORT=$RED_PORT
    WRK_BASE=("${WRK_COMMON[@]}" -H "Cookie: _pomerium=$RED_COOKIE")
  fi
}
RESULTS="$WORK/results.tsv"   # target path round rps p50 p99 err cpu_proxy cpu_load other px_cpu
REDIS_TSV="$WORK/redis-commands.tsv"  # round commands requests seconds per-command
: > "$RESULTS"; : > "$REDIS_TSV"

# Around the redis side's wrk run only: what Redis executed meanwhile, and over how long.
measure_before() {
  [[ $1 == redis ]] || return 0
  CMDS_BEFORE="$(redis_commands)"; CMDS_T0="$(date +%s.%N)"
}
measure_after() {
  [[ $1 == redis ]] || return 0
  CMDS_DURING="$(redis_commands_between "$CMDS_BEFORE" "$(redis_commands)")"
  CMDS_SECS="$(awk -v s="$CMDS_T0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')"
}

log "warm-up: ${WARMUP}s each, memory then redis"
if (( WARMUP > 0 )); then
  for side in memory redis; do use_side "$side"; run_wrk "$side" "$PX_PORT" / "$WARMUP" "$WORK/warmup-$side.txt"; done
fi

log "measuring: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on /, $ROUNDS round(s), memory/redis alternating"
for round in $(seq 1 "$ROUNDS"); do
  use_side memory; measure memory "$PX_PORT" / "$round"
  use_side redis; measure redis "$PX_PORT" / "$round"
  requests="$(wrk_requests "$MEASURE_WRK_OUT")"
  total="$(echo "$CMDS_DURING" | awk '{ n+=$2 } END { print n+0 }')"
  printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$total" "$requests" "$CMDS_SECS" "$(echo "$CMDS_DURING" | tr '\n' ' ' | sed 's/ $//')" >> "$REDIS_TSV"
  log "$(printf 'redis  round %d: %d Redis command(s) in %s s, during %d requests (%.6f per request): %s' \
    "$round" "$total" "$CMDS_SECS" "$requests" "$(awk -v c="$total" -v r="$requests" 'BEGIN{print (r>0?c/r:0)}')" \
    "$(echo "$CMDS_DURING" | tr '\n' ' ')")"
done

MEM_RSS=$(status_kb "$MEM_PID" VmRSS); MEM_HWM=$(status_kb "$MEM_PID" VmHWM)
RED_RSS=$(status_kb "$RED_PID" VmRSS); RED_HWM=$(status_kb "$RED_PID" VmHWM)

# ---------------------------------------------------------------- report
report() {
  echo
  echo "Signed-in route, sign-in state in memory vs in Redis — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency on /, $ROUNDS round(s), memory/redis alternating; access log: $( ((ACCESS_LOG)) && echo "on, to a file" || echo off); cookie from a real sign-in on each"
  echo "both Portcullis on cpus $PROXY_CPUS, wrk + upstream + redis-server on cpus $LOAD_CPUS; JVM opts: $JVM_OPTS; java: $(java -version 2>&1 | head -1); $(redis-server --version | awk '{print $1, $2, $3}')"
  echo
  echo "| round | memory req/s | redis req/s | ratio redis/memory | memory p99 ms | redis p99 ms | errors (memory/redis) | Redis commands during the redis run | in s | requests served | commands per request |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '
    NR==FNR { cmds[$1]=$2; reqs[$1]=$3; secs[$1]=$4; next }
    { rps[$1,$3]=$4; p99[$1,$3]=$6; err[$1,$3]=$7; if ($3>n) n=$3 }
    END {
      for (r=1; r<=n; r++) {
        m=rps["memory",r]; d=rps["redis",r]
        printf "| %d | %.0f | %.0f | %.3f | %.3f | %.3f | %d/%d | %d | %.1f | %d | %.6f |\n", r, m, d, (m>0?d/m:0),
          p99["memory",r], p99["redis",r], err["memory",r], err["redis",r], cmds[r], secs[r], reqs[r], (reqs[r]>0?cmds[r]/reqs[r]:0)
        sm+=m; sd+=d; sp+=p99["memory",r]; sq+=p99["redis",r]; em+=err["memory",r]; ed+=err["redis",r]; sc+=cmds[r]; ss+=secs[r]; sr+=reqs[r]
      }
      printf "| **all** | **%.0f** | **%.0f** | **%.3f** | %.3f | %.3f | %d/%d | %d | %.1f | %d | **%.6f** |\n", sm/n, sd/n, (sm>0?sd/sm:0),
        sp/n, sq/n, em, ed, sc, ss, sr, (sr>0?sc/sr:0)
    }' "$REDIS_TSV" "$RESULTS"
  echo
  echo "ratio = redis req/s / memory req/s (issue 16: >= 0.90). Row **all**: req/s and p99 are means over the rounds,"
  echo "the ratio is of those means, commands, seconds and requests are totals."
  echo "Commands are what redis-server executed (INFO commandstats, commands run by scripts included) from just before to"
  echo "just after each redis run, less the INFO that read them. The data-loss check is 3 a second whatever the load"
  echo "(one EVAL whose script runs two GETs); a request that asked Redis anything would add one or more per request."
  echo
  echo "Redis commands by name, per round:"
  echo
  awk -F'\t' '{ printf "- round %s: %s\n", $1, ($5=="" ? "none" : $5) }' "$REDIS_TSV"
  echo
  echo "Per run:"
  echo
  echo "| store | round | req/s | p50 ms | p99 ms | errors | cpu busy, proxy set | cpu busy, wrk+upstream+redis set | cpu of other processes (machine %) | the measured Portcullis's cpu (% of a core) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %s | %.0f | %.3f | %.3f | %d | %s%% | %s%% | %s%% | %s%% |\n", $1,$3,$4,$5,$6,$7,$8,$9,$10,$11 }' "$RESULTS"
  awk -F'\t' '$10+0 > 10 { bad++ } END { if (bad) printf "\nWARNING: %d run(s) shared the machine with other busy processes (> 10%% of the machine): figures are not trustworthy, re-run on a quiet machine.\n", bad }' "$RESULTS"
  echo
  printf 'resident memory after the runs: memory store VmRSS %d MiB (peak %d), redis store VmRSS %d MiB (peak %d)\n' \
    $(( MEM_RSS / 1024 )) $(( MEM_HWM / 1024 )) $(( RED_RSS / 1024 )) $(( RED_HWM / 1024 ))
}
report | tee "$WORK/report.md"
[[ -n "$OUT" ]] && cp "$WORK/report.md" "$OUT"
exit 0
