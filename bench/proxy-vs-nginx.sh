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

DURATION=20
CONNECTIONS=64
THREADS=2
ROUNDS=2
WARMUP=15
WAIT_IDLE=60
RETRIES=2
BUILD=1
PIN=1
FAKE=0
KEEP=0
ACCESS_LOG=1
NGX_KEEPALIVE=""
OUT=""
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$REPO/proxy-core/target/portcullis.jar"
JVM_OPTS="${PORTCULLIS_BENCH_JVM_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --quick) DURATION=3; WARMUP=2; ROUNDS=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --jar) JAR="$2"; shift 2 ;;
    --jvm-opts) JVM_OPTS="$2"; shift 2 ;;
    --no-pin) PIN=0; shift ;;
    --no-access-log) ACCESS_LOG=0; shift ;;
    --nginx-keepalive) NGX_KEEPALIVE="$2"; shift 2 ;;
    --fake-proxy) FAKE=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --wait-idle) WAIT_IDLE="$2"; shift 2 ;;
    --retries) RETRIES="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for v in DURATION CONNECTIONS THREADS ROUNDS WARMUP WAIT_IDLE RETRIES; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "--${v,,} must be a whole number" >&2; exit 2; }
done
(( DURATION > 0 && CONNECTIONS > 0 && THREADS > 0 && ROUNDS > 0 )) || { echo "duration, connections, threads, rounds must be > 0" >&2; exit 2; }
(( THREADS <= CONNECTIONS )) || THREADS=$CONNECTIONS
# With keepalive 32 and 64 busy client connections, nginx closes the upstream
# connections beyond 32 as they go idle and opens new ones (measured: ~9 % of
# requests, 14k TIME_WAIT sockets per 10 s), which Portcullis's pool does not do.
if [[ -z "$NGX_KEEPALIVE" ]]; then NGX_KEEPALIVE=$(( CONNECTIONS > 32 ? CONNECTIONS : 32 )); fi
[[ "$NGX_KEEPALIVE" =~ ^[0-9]+$ ]] && (( NGX_KEEPALIVE > 0 )) || { echo "--nginx-keepalive must be > 0" >&2; exit 2; }

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools
need_pkgs=()
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need_pkgs+=(nginx)
command -v wrk >/dev/null 2>&1 || need_pkgs+=(wrk)
command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
command -v taskset >/dev/null 2>&1 || need_pkgs+=(util-linux)
if (( ${#need_pkgs[@]} )); then
  command -v apt-get >/dev/null 2>&1 || die "missing ${need_pkgs[*]} and no apt-get"
  SUDO=""; (( EUID == 0 )) || SUDO="sudo"
  log "installing ${need_pkgs[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
if (( FAKE == 0 )); then command -v java >/dev/null 2>&1 || die "java not found"; fi

# ---------------------------------------------------------------- build
if (( FAKE == 0 )) && [[ ! -f "$JAR" ]]; then
  (( BUILD )) || die "$JAR missing and --no-build given"
  log "building $JAR (mvn -q -B -DskipTests package)"
  (cd "$REPO" && mvn -q -B -DskipTests package) || die "build failed"
  [[ -f "$JAR" ]] || die "build did not produce $JAR"
fi

# ---------------------------------------------------------------- cpu layout
NCPU="$(nproc)"
if (( PIN )) && (( NCPU >= 2 )); then
  # Proxy under test (nginx or Portcullis, the same set for both) gets the first
  # half of the cores; wrk and the upstream share the other half.
  half=$(( NCPU / 2 ))
  PROXY_CPUS="0-$(( half - 1 ))"; PROXY_NCPU=$half
  LOAD_CPUS="$half-$(( NCPU - 1 ))"
  TS_PROXY=(taskset -c "$PROXY_CPUS"); TS_LOAD=(taskset -c "$LOAD_CPUS")
  UPSTREAM_WORKERS=$(( NCPU - half ))
else
  PIN=0
  PROXY_CPUS="all"; PROXY_NCPU=$NCPU; LOAD_CPUS="all"
  TS_PROXY=(); TS_LOAD=()
  UPSTREAM_WORKERS=1
fi
(( UPSTREAM_WORKERS >= 1 )) || UPSTREAM_WORKERS=1

# ---------------------------------------------------------------- run state & cleanup
WORK="$(mktemp -d /tmp/portcullis-bench.XXXXXX)"
PIDS=()
WATCHDOG=""
WRK_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$WATCHDOG" ]]; then pkill -TERM -P "$WATCHDOG" 2>/dev/null || true; kill "$WATCHDOG" 2>/dev/null || true; fi
  local p
  [[ -n "$WRK_PID" ]] && kill -TERM "$WRK_PID" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    (( alive )) || break
    sleep 0.1
  done
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if (( KEEP )); then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# Whole run bounded: warm-up + measured runs + generous slack for start-up.
BUDGET=$(( (WARMUP * 2 + 8) + ROUNDS * 2 * 2 * (RETRIES + 1) * (DURATION + 10 + WAIT_IDLE) + 300 ))
( sleep "$BUDGET"; echo "[bench] watchdog: run exceeded ${BUDGET}s, stopping" >&2; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!

# Ports are taken below the kernel's ephemeral range, so wrk's client sockets
# (thousands of them, some in TIME_WAIT) can never collide with a listener.
read -r EPH_LO _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || EPH_LO=32768
(( EPH_LO > 12000 )) || EPH_LO=32768
port_free() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 1
  if command -v ss >/dev/null 2>&1; then [[ -z "$(ss -Htan "( sport = :$1 or dport = :$1 )" 2>/dev/null)" ]] || return 1; fi
  return 0
}
USED_PORTS=" "
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 10000 + RANDOM % (EPH_LO - 10000) ))
    [[ "$USED_PORTS" == *" $p "* ]] && continue
    if port_free "$p"; then USED_PORTS+="$p "; echo "$p"; return 0; fi
  done
  die "no free port found"
}

wait_http() { # url host expect-substring timeout-secs pid
  local url=$1 host=$2 expect=$3 t=$4 pid=$5 body
  for _ in $(seq 1 $(( t * 5 ))); do
    kill -0 "$pid" 2>/dev/null || return 1
    body="$(curl -s -m 1 -H "Host: $host" "$url" 2>/dev/null || true)"
    [[ "$body" == *"$expect"* ]] && return 0
    sleep 0.2
  done
  return 1
}

UP_PORT=$(free_port); NGX_PORT=$(free_port); PX_PORT=$(free_port)

# ---------------------------------------------------------------- upstream nginx
mkdir -p "$WORK/up/logs" "$WORK/up/www" "$WORK/up/tmp" "$WORK/ngx/logs" "$WORK/px"
# 4096 bytes of printable data
head -c 3072 /dev/urandom | base64 -w 64 | head -c 4096 > "$WORK/up/www/4k"
[[ $(wc -c < "$WORK/up/www/4k") -eq 4096 ]] || die "could not make the 4k file"
# nginx workers run as an unprivileged user when started as root: mktemp's 0700 would hide the file.
chmod 755 "$WORK" "$WORK/up" "$WORK/up/www"; chmod 644 "$WORK/up/www/4k"
cat > "$WORK/up/nginx.conf" <<EOF
worker_processes $UPSTREAM_WORKERS;
pid $WORK/up/nginx.pid;
error_log $WORK/up/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/up/tmp/body; proxy_temp_path $WORK/up/tmp/proxy;
  fastcgi_temp_path $WORK/up/tmp/fcgi; uwsgi_temp_path $WORK/up/tmp/uwsgi; scgi_temp_path $WORK/up/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  server {
    listen 127.0.0.1:$UP_PORT backlog=4096;
    location = / { default_type text/plain; return 200 "hello\n"; }
    location = /4k { root $WORK/up/www; default_type application/octet-stream; }
  }
}
EOF

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

"${TS_LOAD[@]}" "$NGINX" -p "$WORK/up" -c "$WORK/up/nginx.conf" -g 'daemon off;' \
  >"$WORK/up/logs/stdout.log" 2>&1 &
UP_PID=$!; PIDS+=("$UP_PID")
"${TS_PROXY[@]}" "$NGINX" -p "$WORK/ngx" -c "$WORK/ngx/nginx.conf" -g 'daemon off;' \
  >"$WORK/ngx/logs/stdout.log" 2>&1 &
NGX_PID=$!; PIDS+=("$NGX_PID")

wait_http "http://127.0.0.1:$UP_PORT/" localhost hello 10 "$UP_PID" \
  || { cat "$WORK/up/logs/"*.log >&2 || true; die "upstream nginx did not start"; }
wait_http "http://127.0.0.1:$NGX_PORT/" bench.localhost hello 10 "$NGX_PID" \
  || { cat "$WORK/ngx/logs/"*.log >&2 || true; die "nginx proxy did not start"; }

# ---------------------------------------------------------------- portcullis
rand_b64() { head -c 32 /dev/urandom | base64 -w0; }
if (( FAKE )); then
  log "--fake-proxy: a second nginx stands in for Portcullis"
  mkdir -p "$WORK/px/logs"
  nginx_proxy_conf "$WORK/px" "$PX_PORT"
  "${TS_PROXY[@]}" "$NGINX" -p "$WORK/px" -c "$WORK/px/nginx.conf" -g 'daemon off;' \
    >"$WORK/px/stdout.log" 2>"$WORK/px/stderr.log" &
  PX_PID=$!; PIDS+=("$PX_PID")
  PX_NAME="nginx(fake)"
else
  cat > "$WORK/px/config.yaml" <<EOF
address: 127.0.0.1:$PX_PORT
insecure_server: true
cookie_secret: $(rand_b64)
shared_secret: $(rand_b64)
$( ((ACCESS_LOG)) && echo "log_level: info" || echo "log_level: warn")
routes:
  - from: http://bench.localhost
    to: http://127.0.0.1:$UP_PORT
    allow_public_unauthenticated_access: true
EOF
  log "starting portcullis: java $JVM_OPTS -jar $JAR"
  # shellcheck disable=SC2086
  "${TS_PROXY[@]}" java $JVM_OPTS -jar "$JAR" --config "$WORK/px/config.yaml" \
    >"$WORK/px/stdout.log" 2>"$WORK/px/stderr.log" &
  PX_PID=$!; PIDS+=("$PX_PID")
  PX_NAME="portcullis"
fi

if ! wait_http "http://127.0.0.1:$PX_PORT/ping" bench.localhost OK 60 "$PX_PID"; then
  log "proxy stdout (tail):"; tail -n 20 "$WORK/px/stdout.log" >&2 || true
  log "proxy stderr (tail):"; tail -n 40 "$WORK/px/stderr.log" >&2 || true
  kill -0 "$PX_PID" 2>/dev/null && die "$PX_NAME did not answer /ping on 127.0.0.1:$PX_PORT within 60 s"
  die "$PX_NAME exited before answering /ping (it must serve HTTP on 127.0.0.1:$PX_PORT)"
fi
# It must really proxy both paths before we measure anything.
got="$(curl -s -m 5 -H 'Host: bench.localhost' "http://127.0.0.1:$PX_PORT/" || true)"
[[ "$got" == "hello" ]] || { tail -n 40 "$WORK/px/stderr.log" >&2 || true; die "$PX_NAME GET / returned '${got:0:200}', want 'hello'"; }
cmp -s <(curl -s -m 5 -H 'Host: bench.localhost' "http://127.0.0.1:$PX_PORT/4k") "$WORK/up/www/4k" \
  || die "$PX_NAME GET /4k did not return the 4 KiB file"
log "$PX_NAME (pid $PX_PID) serves / and /4k"

# ---------------------------------------------------------------- measuring
cpu_snapshot() { awk '/^cpu[0-9]+ /{b=$2+$3+$4+$7+$8+$9; printf "%s %d %d\n",$1,b,b+$5+$6}' /proc/stat; }
# CPU jiffies (user+system) used by the processes of this run: the long-lived
# servers and their workers, this script and its waited-for children (wrk).
our_jiffies() {
  local p pids=() total=0 j
  for p in "${PIDS[@]}"; do pids+=("$p"); pids+=($(pgrep -P "$p" 2>/dev/null || true)); done
  for p in "${pids[@]}"; do
    j="$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12+$13}')" || j=0
    total=$(( total + ${j:-0} ))
  done
  j="$(sed 's/.*) //' "/proc/$$/stat" | awk '{print $12+$13+$14+$15}')"
  echo $(( total + j ))
}
machine_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9; exit}' /proc/stat; }
# % of the whole machine used by processes that are not part of this run
# (other builds, editors, ...) between two "machine ours" samples.
foreign_pct() { # busy1 all1 ours1 busy2 all2 ours2
  awk -v b1="$1" -v a1="$2" -v o1="$3" -v b2="$4" -v a2="$5" -v o2="$6" \
    'BEGIN { f=(b2-b1)-(o2-o1); if (f<0) f=0; if (a2>a1) printf "%.0f", 100*f/(a2-a1); else printf "?" }'
}
cpu_busy() { # before after cpu-list-pattern(all|a-b) -> busy %
  local before=$1 after=$2 set=$3 lo hi
  if [[ "$set" == all ]]; then lo=0; hi=$(( NCPU - 1 )); else lo=${set%-*}; hi=${set#*-}; fi
  paste -d' ' <(echo "$before") <(echo "$after") | awk -v lo="$lo" -v hi="$hi" '
    { n=substr($1,4)+0; if (n<lo || n>hi) next; db+=$5-$2; dt+=$6-$3 }
    END { if (dt>0) printf "%.0f", 100*db/dt; else printf "?" }'
}

# wrk output -> "rps p50ms p99ms errors"
parse_wrk() {
  awk '
    function ms(v,  n,u) { n=v+0; u=v; sub(/^[0-9.]+/,"",u);
      if (u=="us") return n/1000; if (u=="ms") return n; if (u=="s") return n*1000; if (u=="m") return n*60000; return n }
    /^Requests\/sec:/ { rps=$2 }
    $1=="50%" { p50=ms($2) }
    $1=="99%" { p99=ms($2) }
    /Non-2xx or 3xx responses:/ { err+=$NF }
    /Socket errors:/ { line=$0; gsub(/[^0-9 ]/," ",line); split(line,a," "); for (i in a) err+=a[i] }
    END { printf "%s %.3f %.3f %d\n", (rps==""?"0":rps), p50, p99, err+0 }' "$1"
}

WRK_BASE=(wrk -t"$THREADS" -c"$CONNECTIONS" --latency --timeout 5s -H "Host: bench.localhost")
RESULTS="$WORK/results.tsv"   # target path round rps p50 p99 err cpu_proxy cpu_load
: > "$RESULTS"

run_wrk() { # target(nginx|proxy) port path secs outfile
  local port=$2 path=$3 secs=$4 out=$5
  # In the background and waited for, so that Ctrl-C / the watchdog act at once.
  timeout $(( secs + 20 )) "${TS_LOAD[@]}" "${WRK_BASE[@]}" -d"${secs}s" "http://127.0.0.1:$port$path" > "$out" 2>&1 &
  WRK_PID=$!
  local rc=0
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  (( rc == 0 )) || { cat "$out" >&2; die "wrk failed against 127.0.0.1:$port$path"; }
}

# Waits (up to --wait-idle s) until the machine is < 10 % busy over 2 s; our
# servers are idle between runs, so what is busy then is someone else.
wait_idle() {
  (( WAIT_IDLE > 0 )) || return 0
  local waited=0 a b pct
  while :; do
    a="$(machine_jiffies)"; sleep 2; b="$(machine_jiffies)"
    pct="$(awk -v a="$a" -v b="$b" 'BEGIN{split(a,x," ");split(b,y," "); d=y[2]-x[2]; printf "%.0f", (d>0 ? 100*(y[1]-x[1])/d : 0)}')"
    (( pct < 10 )) && return 0
    if (( waited >= WAIT_IDLE )); then log "machine still ${pct}% busy with other processes; measuring anyway"; return 0; fi
    (( waited == 0 )) && log "machine ${pct}% busy with other processes; waiting up to ${WAIT_IDLE}s for it to calm down"
    sleep 3; waited=$(( waited + 5 ))
  done
}

measure() { # target port path round
  local target=$1 port=$2 path=$3 round=$4 out before after try=0
  out="$WORK/wrk-$target-${path//\//_}-$round.txt"
  local m1 o1 m2 o2 fo
  while :; do
    kill -0 "$PX_PID" 2>/dev/null || die "$PX_NAME died (see $WORK/px/stderr.log)"
    wait_idle
    before="$(cpu_snapshot)"; m1="$(machine_jiffies)"; o1="$(our_jiffies)"
    run_wrk "$target" "$port" "$path" "$DURATION" "$out"
    after="$(cpu_snapshot)"; m2="$(machine_jiffies)"; o2="$(our_jiffies)"
    fo="$(foreign_pct $m1 "$o1" $m2 "$o2")"
    [[ "$fo" =~ ^[0-9]+$ ]] && (( fo > 10 && try < RETRIES )) || break
    try=$(( try + 1 ))
    log "$target $path round $round: other processes took ${fo}% of the machine; measuring again ($try/$RETRIES)"
  done
  local r; r="$(parse_wrk "$out")"
  local cp cl
  cp="$(cpu_busy "$before" "$after" "$PROXY_CPUS")"; cl="$(cpu_busy "$before" "$after" "$LOAD_CPUS")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$path" "$round" "${r// /$'\t'}" "$cp" "$cl" "$fo" >> "$RESULTS"
  read -r rps p50 p99 err <<<"$r"
  log "$(printf '%-6s %-3s round %d: %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d  cpu proxy-set %s%% load-set %s%% other-procs %s%%' \
    "$target" "$path" "$round" "$rps" "$p50" "$p99" "$err" "$cp" "$cl" "$fo")"
}

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
status_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
PX_RSS=0; PX_HWM=0
if (( FAKE )); then
  for p in "$PX_PID" $(pgrep -P "$PX_PID" || true); do
    PX_RSS=$(( PX_RSS + $(status_kb "$p" VmRSS) )); PX_HWM=$(( PX_HWM + $(status_kb "$p" VmHWM) ))
  done
else
  PX_RSS=$(status_kb "$PX_PID" VmRSS); PX_HWM=$(status_kb "$PX_PID" VmHWM)
fi
NGX_RSS=0
for p in "$NGX_PID" $(pgrep -P "$NGX_PID" || true); do NGX_RSS=$(( NGX_RSS + $(status_kb "$p" VmRSS) )); done

# ---------------------------------------------------------------- report
report() {
  echo
  echo "Portcullis vs nginx reverse proxy — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, $ROUNDS round(s) each, alternating; access log: $( ((ACCESS_LOG)) && echo "on, to a file, for both" || echo off); nginx upstream keepalive $NGX_KEEPALIVE"
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
