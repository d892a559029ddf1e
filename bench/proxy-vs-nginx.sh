#!/usr/bin/env bash
# Portcullis vs nginx as a plain reverse proxy, side by side in one run.
#
# One nginx upstream serves "hello\n" at / and a 4 KiB file at /4k. The same wrk
# load is sent, alternately, to nginx proxying that upstream and to Portcullis
# proxying that upstream (public route, no auth). Prints req/s, p50, p99, the
# ratio proxy/nginx and the proxy's resident memory. See bench/README.md.
#
# Everything listens on 127.0.0.1 only; every process started is stopped on exit;
# a watchdog bounds the whole run in time.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/proxy-vs-nginx.sh [options]

  --duration SECS     length of each measured wrk run (default 20)
  --connections N     wrk connections (default 64)
  --threads N         wrk threads (default 2)
  --rounds N          nginx/proxy alternations per path (default 2)
  --warmup SECS       proxy warm-up per path before measuring (default 15)
  --quick             smoke test: --duration 3 --warmup 2 --rounds 1
  --no-build          do not build the jar, even when it is missing
  --jar PATH          jar to run (default proxy-core/target/portcullis.jar)
  --jvm-opts "OPTS"   JVM flags (default "-Xms64m -Xmx256m -XX:+UseSerialGC";
                      env PORTCULLIS_BENCH_JVM_OPTS works too)
  --nginx-keepalive N idle upstream connections the nginx proxy keeps
                      (default: max(32, connections), so nginx, like
                      Portcullis, does not open fresh upstream connections)
  --no-access-log     neither proxy writes an access line per request
                      (Portcullis: log_level: warn; nginx: access_log off)
  --signed-in         Portcullis's route lets one email in (policy); every request carries the
                      session cookie a real sign-in set (built-in provider, curl), sent to nginx too
  --no-pin            do not pin with taskset: everything shares all cores and
                      nginx runs as many workers as there are cores
  --fake-proxy        self-test of this script: a second nginx reverse proxy
                      stands in for Portcullis (no jar needed)
  --wait-idle SECS    before each measured run, wait up to SECS for other
                      processes to leave the machine idle (default 60; 0 = no)
  --retries N         re-measure a run during which other processes used more
                      than 10% of the machine, up to N times (default 2)
  --out FILE          also write the results table (markdown) to FILE
  --keep              keep the temp dir (configs, logs, raw wrk output)
  -h, --help          this text
EOF
}

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
bench_defaults
bench_options --fake-proxy "$@"

bench_tools $(( FAKE == 0 ))
(( FAKE )) || bench_build
bench_cpu_layout

# ---------------------------------------------------------------- run state & cleanup
# Whole run bounded: warm-up + measured runs + generous slack for start-up.
bench_start $(( (WARMUP * 2 + 8) + ROUNDS * 2 * 2 * (RETRIES + 1) * (DURATION + 10 + WAIT_IDLE) + 300 ))
(( FAKE )) || bench_snapshot_jar

UP_PORT=$(free_port); NGX_PORT=$(free_port); PX_PORT=$(free_port)

# ---------------------------------------------------------------- upstream nginx
mkdir -p "$WORK/ngx/logs" "$WORK/px"
write_upstream_conf "$WORK/up" "$UP_PORT"

# nginx as a plain reverse proxy (the reference).
#   nginx_proxy_conf FILE-PREFIX PORT
nginx_proxy_conf() {
  local dir=$1 port=$2 alog="access_log off;"
  mkdir -p "$dir/logs" "$dir/tmp"
  (( ACCESS_LOG )) && alog="access_log $dir/logs/access.log bench;"
  cat > "$dir/nginx.conf" <<EOF
worker_processes $PROXY_NCPU;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  # One access line per request to a file, as Portcullis writes one per request.
  log_format bench escape=json '{"time":"\$time_iso8601","method":"\$request_method","host":"\$host","path":"\$request_uri","status":\$status,"bytes":\$body_bytes_sent,"duration":\$request_time}';
  $alog
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  upstream bench_up { server 127.0.0.1:$UP_PORT; keepalive $NGX_KEEPALIVE; }
  server {
    listen 127.0.0.1:$port backlog=4096;
    location = /ping { access_log off; default_type text/plain; return 200 "OK\n"; }
    location / {
      proxy_pass http://bench_up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
EOF
}
nginx_proxy_conf "$WORK/ngx" "$NGX_PORT"

log "cpus: $NCPU; proxy under test on cpus $PROXY_CPUS, wrk + upstream on cpus $LOAD_CPUS (pin=$PIN)"
log "ports: upstream $UP_PORT, nginx proxy $NGX_PORT, portcullis $PX_PORT; work dir $WORK"

start_nginx "$WORK/up" TS_LOAD; UP_PID=$LAST_PID
start_nginx "$WORK/ngx" TS_PROXY; NGX_PID=$LAST_PID

wait_http "http://127.0.0.1:$UP_PORT/" localhost hello 10 "$UP_PID" \
  || { cat "$WORK/up/logs/"*.log >&2 || true; die "upstream nginx did not start"; }
wait_http "http://127.0.0.1:$NGX_PORT/" bench.localhost hello 10 "$NGX_PID" \
  || { cat "$WORK/ngx/logs/"*.log >&2 || true; die "nginx proxy did not start"; }

# ---------------------------------------------------------------- portcullis
if (( FAKE )); then
  log "--fake-proxy: a second nginx stands in for Portcullis"
  mkdir -p "$WORK/px/logs"
  nginx_proxy_conf "$WORK/px" "$PX_PORT"
  "${TS_PROXY[@]}" "$NGINX" -p "$WORK/px" -c "$WORK/px/nginx.conf" -g 'daemon off;' \
    >"$WORK/px/stdout.log" 2>"$WORK/px/stderr.log" &
  PX_PID=$!; PIDS+=("$PX_PID")
  PX_NAME="nginx(fake)"
else
  ACCESS='    allow_public_unauthenticated_access: true'
  SIGN_IN=""
  if (( SIGNED_IN )); then
    # A real sign-in through the built-in provider (bench_sign_in_route below) gives the cookie.
    bench_builtin_provider "$WORK/px/users.yaml" "$PX_PORT"
    ACCESS=$SIGN_IN_POLICY SIGN_IN=$SIGN_IN_YAML
  fi
  cat > "$WORK/px/config.yaml" <<EOF
address: 127.0.0.1:$PX_PORT
insecure_server: true
cookie_secret: $(rand_b64)
shared_secret: $(rand_b64)
$( ((ACCESS_LOG)) && echo "log_level: info" || echo "log_level: warn")
$SIGN_IN
routes:
  - from: http://bench.localhost
    to: http://127.0.0.1:$UP_PORT
$ACCESS
EOF
  start_portcullis "$WORK/px"; PX_PID=$LAST_PID
  PX_NAME="portcullis"
fi

wait_ping "$PX_NAME" "$PX_PID" "$PX_PORT" bench.localhost "$WORK/px"
# With --signed-in every request carries the session cookie a real sign-in set for the one email the
# route lets in, and a request without it must be refused.
AUTH=()
if (( SIGNED_IN && ! FAKE )); then
  bench_sign_in_route cookie "$PX_NAME" "$PX_PORT"
  AUTH=(-H "Cookie: _pomerium=$cookie")
fi
# It must really proxy both paths before we measure anything.
got="$(curl -s -m 5 "${AUTH[@]}" -H 'Host: bench.localhost' "http://127.0.0.1:$PX_PORT/" || true)"
[[ "$got" == "hello" ]] || { tail -n 40 "$WORK/px/stderr.log" >&2 || true; die "$PX_NAME GET / returned '${got:0:200}', want 'hello'"; }
cmp -s <(curl -s -m 5 "${AUTH[@]}" -H 'Host: bench.localhost' "http://127.0.0.1:$PX_PORT/4k") "$WORK/up/www/4k" \
  || die "$PX_NAME GET /4k did not return the 4 KiB file"
log "$PX_NAME (pid $PX_PID) serves / and /4k"

# ---------------------------------------------------------------- measuring
WRK_BASE=(wrk -t"$THREADS" -c"$CONNECTIONS" --latency --timeout 5s -H "Host: bench.localhost" "${AUTH[@]}")
RESULTS="$WORK/results.tsv"   # target path round rps p50 p99 err cpu_proxy cpu_load
: > "$RESULTS"

log "warm-up: $PX_NAME ${WARMUP}s per path, nginx 2s per path"
for path in / /4k; do
  if (( WARMUP > 0 )); then run_wrk proxy "$PX_PORT" "$path" "$WARMUP" "$WORK/warmup-proxy${path//\//_}.txt"; fi
  run_wrk nginx "$NGX_PORT" "$path" 2 "$WORK/warmup-nginx${path//\//_}.txt"
done

log "measuring: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS round(s) per path, nginx/proxy alternating"
for path in / /4k; do
  for round in $(seq 1 "$ROUNDS"); do
    measure nginx "$NGX_PORT" "$path" "$round"
    measure proxy "$PX_PORT" "$path" "$round"
  done
done

# ---------------------------------------------------------------- memory
PX_RSS=$(tree_status_kb "$PX_PID" VmRSS); PX_HWM=$(tree_status_kb "$PX_PID" VmHWM)
NGX_RSS=$(tree_status_kb "$NGX_PID" VmRSS)

# ---------------------------------------------------------------- report
report() {
  echo
  echo "Portcullis vs nginx reverse proxy — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, $ROUNDS round(s) each, alternating; access log: $( ((ACCESS_LOG)) && echo "on, to a file, for both" || echo off); route: $( ((SIGNED_IN)) && echo "signed-in (cookie from a real sign-in, policy, assertion)" || echo public); nginx upstream keepalive $NGX_KEEPALIVE"
  echo "proxy cpus: $PROXY_CPUS, wrk+upstream cpus: $LOAD_CPUS; $PX_NAME JVM opts: $( ((FAKE)) && echo n/a || echo "$JVM_OPTS"); java: $(java -version 2>&1 | head -1)"
  echo
  echo "| path | nginx req/s | $PX_NAME req/s | ratio | nginx p50 ms | $PX_NAME p50 ms | nginx p99 ms | $PX_NAME p99 ms | errors (nginx/$PX_NAME) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '
    { k=$1 SUBSEP $2; n[k]++; rps[k]+=$4; p50[k]+=$5; p99[k]+=$6; err[k]+=$7; paths[$2]=1 }
    END {
      split("/ /4k", order, " ")
      for (i=1;i<=2;i++) { p=order[i]; if (!(p in paths)) continue
        a="nginx" SUBSEP p; b="proxy" SUBSEP p
        ra=rps[a]/n[a]; rb=rps[b]/n[b]
        printf "| %s | %.0f | %.0f | %.2f | %.3f | %.3f | %.3f | %.3f | %d/%d |\n", p, ra, rb, (ra>0?rb/ra:0),
          p50[a]/n[a], p50[b]/n[b], p99[a]/n[a], p99[b]/n[b], err[a], err[b] }
    }' "$RESULTS"
  echo
  echo "req/s and latencies are means over the rounds; ratio = $PX_NAME req/s / nginx req/s (target >= 0.80)."
  echo
  echo "Per run:"
  echo
  echo "| target | path | round | req/s | p50 ms | p99 ms | errors | cpu busy, proxy set | cpu busy, wrk+upstream set | cpu of other processes (machine %) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' -v name="$PX_NAME" '{ t=($1=="proxy"?name:$1); printf "| %s | %s | %s | %.0f | %.3f | %.3f | %d | %s%% | %s%% | %s%% |\n", t,$2,$3,$4,$5,$6,$7,$8,$9,$10 }' "$RESULTS"
  awk -F'\t' '$10+0 > 10 { bad++ } END { if (bad) printf "\nWARNING: %d run(s) shared the machine with other busy processes (> 10%% of the machine): figures are not trustworthy, re-run on a quiet machine.\n", bad }' "$RESULTS"
  echo
  printf '%s resident memory after the runs: VmRSS %d MiB, VmHWM (peak) %d MiB\n' "$PX_NAME" $(( PX_RSS / 1024 )) $(( PX_HWM / 1024 ))
  printf 'nginx proxy (master + workers) VmRSS: %d MiB\n' $(( NGX_RSS / 1024 ))
}
report | tee "$WORK/report.md"
[[ -n "$OUT" ]] && cp "$WORK/report.md" "$OUT"
exit 0
