# Shared parts of the bench/*.sh scripts that measure with wrk; sourced, not run.
#
# The caller sets REPO before sourcing, then bench_defaults and bench_options set
#   JAR BUILD PIN DURATION CONNECTIONS THREADS ROUNDS WARMUP WAIT_IDLE RETRIES KEEP FAKE ACCESS_LOG
#   NGX_KEEPALIVE OUT JVM_OPTS
# and later PX_PID/PX_NAME/PX_DIR (the JVM or stand-in whose death aborts a run, and its log dir), WRK_BASE (the wrk
# command without -d and URL) and RESULTS (the per-run TSV that measure appends to).
# shellcheck shell=bash

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- options
# bench_options FAKE_FLAG ARGS...: the options the measuring scripts take (their usage text
# lists them), on top of the defaults bench_defaults set and the caller may have changed;
# FAKE_FLAG is the script's name for its self-test stand-in (--fake-proxy, --fake-auth), or ""
# when it has none. The variables they set are read by the calling script.
# shellcheck disable=SC2034
bench_defaults() {
  DURATION=20 CONNECTIONS=64 THREADS=2 ROUNDS=2 WARMUP=15 WAIT_IDLE=60 RETRIES=2
  BUILD=1 PIN=1 FAKE=0 KEEP=0 ACCESS_LOG=1 SIGNED_IN=0 NGX_KEEPALIVE="" OUT=""
  JAR="$REPO/proxy-core/target/portcullis.jar"
  JVM_OPTS="${PORTCULLIS_BENCH_JVM_OPTS:--Xms64m -Xmx256m -XX:+UseSerialGC}"
}

# shellcheck disable=SC2034
bench_options() {
  local fake_flag="$1"; shift
  while [[ $# -gt 0 ]]; do
    if [[ -n "$fake_flag" && "$1" == "$fake_flag" ]]; then FAKE=1; shift; continue; fi
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
      --signed-in) SIGNED_IN=1; shift ;;
      --nginx-keepalive) NGX_KEEPALIVE="$2"; shift 2 ;;
      --out) OUT="$2"; shift 2 ;;
      --wait-idle) WAIT_IDLE="$2"; shift 2 ;;
      --retries) RETRIES="$2"; shift 2 ;;
      --keep) KEEP=1; shift ;;
      -h|--help) usage; exit 0 ;;
      *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
  done
  local v
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
}

# ---------------------------------------------------------------- tools
# bench_tools NEED_JAVA(0|1) [COMMAND:PACKAGE...]: installs nginx, wrk, curl, taskset and the
# packages of any COMMAND given that is missing (e.g. redis-server:redis-server) with apt-get; sets NGINX.
bench_tools() {
  local need_java=$1 need_pkgs=() extra; shift
  for extra in "$@"; do command -v "${extra%%:*}" >/dev/null 2>&1 || need_pkgs+=("${extra#*:}"); done
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need_pkgs+=(nginx)
  command -v wrk >/dev/null 2>&1 || need_pkgs+=(wrk)
  command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
  command -v taskset >/dev/null 2>&1 || need_pkgs+=(util-linux)
  if (( ${#need_pkgs[@]} )); then
    command -v apt-get >/dev/null 2>&1 || die "missing ${need_pkgs[*]} and no apt-get"
    local sudo=""; (( EUID == 0 )) || sudo="sudo"
    log "installing ${need_pkgs[*]} with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  fi
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  if (( need_java )); then command -v java >/dev/null 2>&1 || die "java not found"; fi
}

# Builds $JAR when it is missing (unless BUILD=0).
bench_build() {
  [[ -f "$JAR" ]] && return 0
  (( BUILD )) || die "$JAR missing and --no-build given"
  log "building $JAR (mvn -q -B -DskipTests package)"
  (cd "$REPO" && mvn -q -B -DskipTests package) || die "build failed"
  [[ -f "$JAR" ]] || die "build did not produce $JAR"
}

# Copies $JAR into the work dir and points JAR at the copy: a shared tree may be rebuilt by
# someone else during the run, and a JVM whose jar is rewritten under it fails to load classes.
bench_snapshot_jar() {
  cp "$JAR" "$WORK/portcullis.jar" || die "cannot copy $JAR"
  JAR="$WORK/portcullis.jar"
}

# ---------------------------------------------------------------- cpu layout
# Sets NCPU, PROXY_CPUS, PROXY_NCPU, LOAD_CPUS, TS_PROXY, TS_LOAD, UPSTREAM_WORKERS (and PIN=0
# when pinning is impossible). The proxy set is the first half of the cores; wrk and the upstream
# share the other half.
bench_cpu_layout() {
  NCPU="$(nproc)"
  if (( PIN )) && (( NCPU >= 2 )); then
    local half=$(( NCPU / 2 ))
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
}

# ---------------------------------------------------------------- run state & cleanup
# bench_start BUDGET-SECS: makes WORK, installs the cleanup trap (stops every pid in PIDS), and
# starts a watchdog that ends the run after BUDGET-SECS.
bench_start() {
  local budget=$1
  WORK="$(mktemp -d /tmp/portcullis-bench.XXXXXX)"
  PIDS=()
  WATCHDOG=""
  WRK_PID=""
  trap bench_cleanup EXIT
  trap 'log "interrupted"; exit 130' INT TERM
  ( sleep "$budget"; echo "[bench] watchdog: run exceeded ${budget}s, stopping" >&2; kill -TERM $$ ) 2>/dev/null &
  WATCHDOG=$!
}

bench_cleanup() {
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

# ---------------------------------------------------------------- ports
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

rand_b64() { head -c 32 /dev/urandom | base64 -w0; }

# ---------------------------------------------------------------- upstream nginx
# write_upstream_conf DIR PORT [EXTRA-LOCATIONS]: the origin. / answers "hello\n", /4k a
# 4096-byte file (made here), plus any extra location blocks given.
write_upstream_conf() {
  local dir=$1 port=$2 extra=${3:-}
  mkdir -p "$dir/logs" "$dir/www" "$dir/tmp"
  # head closing early may kill base64 with SIGPIPE, which pipefail would turn into a silent exit
  # of the whole script; the size is checked instead.
  { head -c 3072 /dev/urandom | base64 -w 64 | head -c 4096 > "$dir/www/4k"; } || true
  [[ $(wc -c < "$dir/www/4k") -eq 4096 ]] || die "could not make the 4k file"
  # nginx workers run as an unprivileged user when started as root: mktemp's 0700 would hide the file.
  chmod 755 "$WORK" "$dir" "$dir/www"; chmod 644 "$dir/www/4k"
  cat > "$dir/nginx.conf" <<EOF
worker_processes $UPSTREAM_WORKERS;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  server {
    listen 127.0.0.1:$port backlog=4096;
    location = / { default_type text/plain; return 200 "hello\n"; }
    location = /4k { root $dir/www; default_type application/octet-stream; }
$extra
  }
}
EOF
}

# start_nginx DIR TASKSET-ARRAY-NAME: runs nginx in the foreground in the background; echoes nothing,
# sets LAST_PID and adds it to PIDS.
start_nginx() {
  local dir=$1; local -n ts=$2
  "${ts[@]}" "$NGINX" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/logs/stdout.log" 2>&1 &
  LAST_PID=$!; PIDS+=("$LAST_PID")
}

# ---------------------------------------------------------------- measuring
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
cpu_snapshot() { awk '/^cpu[0-9]+ /{b=$2+$3+$4+$7+$8+$9; printf "%s %d %d\n",$1,b,b+$5+$6}' /proc/stat; }
# user+system jiffies of one process (all its threads), 0 when it is gone.
proc_jiffies() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12+$13}' || echo 0; }
# the same for a process and its children (nginx master + workers)
tree_jiffies() {
  local total=0 p j
  for p in "$1" $(pgrep -P "$1" 2>/dev/null || true); do j="$(proc_jiffies "$p")"; total=$(( total + ${j:-0} )); done
  echo "$total"
}
# CPU jiffies (user+system) used by the processes of this run: the long-lived
# servers and their workers, this script and its waited-for children (wrk).
our_jiffies() {
  local p pids=() total=0 j
  for p in "${PIDS[@]}"; do pids+=("$p"); pids+=($(pgrep -P "$p" 2>/dev/null || true)); done
  for p in "${pids[@]}"; do
    j="$(proc_jiffies "$p")"
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

# wrk output -> the number of requests it completed ("N requests in 3.00s, ...")
wrk_requests() { awk '$2=="requests" && $3=="in" { n=$1 } END { print n+0 }' "$1"; }

run_wrk() { # target port path secs outfile
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

# measure TARGET PORT PATH ROUND: one wrk run, re-measured (--retries) while other processes
# took > 10 % of the machine. Appends to RESULTS:
#   target path round rps p50 p99 err cpu_proxy_set cpu_load_set other_procs px_cpu
# where px_cpu is the CPU of PX_PID and its children during the run, in % of one core; PX_DIR
# (default $WORK/px) holds its stderr.log. A script may define measure_before and measure_after
# (both given TARGET ROUND): they run right before and right after each wrk run, tries included, so
# what they read covers the run that is kept. MEASURE_WRK_OUT is then that run's wrk output.
measure() {
  local target=$1 port=$2 path=$3 round=$4 out before after try=0
  out="$WORK/wrk-$target-${path//\//_}-$round.txt"
  local m1 o1 m2 o2 fo j1 j2 t1 t2
  while :; do
    kill -0 "$PX_PID" 2>/dev/null || die "$PX_NAME died (see ${PX_DIR:-$WORK/px}/stderr.log)"
    wait_idle
    before="$(cpu_snapshot)"; m1="$(machine_jiffies)"; o1="$(our_jiffies)"
    j1="$(tree_jiffies "$PX_PID")"; t1="$(date +%s.%N)"
    if declare -F measure_before >/dev/null; then measure_before "$target" "$round"; fi
    run_wrk "$target" "$port" "$path" "$DURATION" "$out"
    if declare -F measure_after >/dev/null; then measure_after "$target" "$round"; fi
    after="$(cpu_snapshot)"; m2="$(machine_jiffies)"; o2="$(our_jiffies)"
    j2="$(tree_jiffies "$PX_PID")"; t2="$(date +%s.%N)"
    fo="$(foreign_pct $m1 "$o1" $m2 "$o2")"
    [[ "$fo" =~ ^[0-9]+$ ]] && (( fo > 10 && try < RETRIES )) || break
    try=$(( try + 1 ))
    log "$target $path round $round: other processes took ${fo}% of the machine; measuring again ($try/$RETRIES)"
  done
  MEASURE_WRK_OUT=$out
  local r; r="$(parse_wrk "$out")"
  local cp cl pxc
  cp="$(cpu_busy "$before" "$after" "$PROXY_CPUS")"; cl="$(cpu_busy "$before" "$after" "$LOAD_CPUS")"
  pxc="$(awk -v a="$j1" -v b="$j2" -v s="$t1" -v e="$t2" -v hz="$CLK_TCK" 'BEGIN{ printf "%.0f", (e>s ? 100*(b-a)/hz/(e-s) : 0) }')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$path" "$round" "${r// /$'\t'}" "$cp" "$cl" "$fo" "$pxc" >> "$RESULTS"
  read -r rps p50 p99 err <<<"$r"
  log "$(printf '%-6s %-3s round %d: %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms  errors %d  cpu proxy-set %s%% load-set %s%% other-procs %s%% %s %s%%' \
    "$target" "$path" "$round" "$rps" "$p50" "$p99" "$err" "$cp" "$cl" "$fo" "$PX_NAME" "$pxc")"
}

# ---------------------------------------------------------------- memory
status_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Sum of a status field over a process and its children (nginx master + workers).
tree_status_kb() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do total=$(( total + $(status_kb "$p" "$2") )); done
  echo "$total"
}

# ---------------------------------------------------------------- a real sign-in
# bench_users_file FILE PASSWORD EMAIL...: a built-in provider users file with these users, all with
# PASSWORD and no TOTP, made as a person makes it (`portcullis users add`, the password on stdin).
bench_users_file() {
  local file=$1 password=$2 email; shift 2
  for email in "$@"; do
    printf '%s\n' "$password" | java -jar "$JAR" users add "$email" --users-file "$file" >/dev/null \
      || die "portcullis users add $email failed"
  done
}

# bench_sign_in VAR URL EMAIL PASSWORD COOKIE-HOST RESOLVE...: signs EMAIL in the way a browser does, with
# curl and a cookie jar: GET URL, follow the redirects to the built-in provider's page, post the
# password with the page's hidden fields (state, nonce; the first of each, since the passkey form on
# the same page repeats them), follow the redirects (the provider's callback, the hand-off to the
# route host) back to URL. Sets VAR to the `_pomerium` cookie the jar then holds
# for COOKIE-HOST; dies when there is none. RESOLVE are curl --resolve entries (host:port:127.0.0.1), so the
# names in the redirects reach the servers of this run on loopback. The last answer's status is left
# in SIGN_IN_STATUS (200 when URL let EMAIL in, 403 when its policy refused them).
bench_sign_in() {
  local var=$1 url=$2 email=$3 password=$4 cookie_host=$5; shift 5
  local jar page curl_args=(-s -m 20 -L --max-redirs 10 -H 'Accept: text/html') r action field fields=()
  for r in "$@"; do curl_args+=(--resolve "$r"); done
  jar="$(mktemp "$WORK/jar.XXXXXX")"; page="$(mktemp "$WORK/page.XXXXXX")"
  local final
  final="$(curl "${curl_args[@]}" -c "$jar" -b "$jar" -o "$page" -w '%{http_code} %{url_effective}' "$url")" \
    || die "sign-in as $email: GET $url failed"
  [[ "$final" == "200 "*"/.pomerium/builtin/sign_in"* ]] \
    || die "sign-in as $email: GET $url ended at '$final', want the built-in sign-in page"
  action="${final#200 }"; action="${action%%\?*}"
  for field in state nonce; do
    r="$(grep -o "<input type=\"hidden\" name=\"$field\" value=\"[^\"]*\"" "$page" | head -n 1 | sed 's/.*value="//; s/"$//; s/&amp;/\&/g')"
    [[ -n "$r" ]] || die "sign-in as $email: the sign-in page has no hidden '$field' field"
    fields+=(--data-urlencode "$field=$r")
  done
  final="$(curl "${curl_args[@]}" -c "$jar" -b "$jar" -o "$page" -w '%{http_code} %{url_effective}' \
      "${fields[@]}" --data-urlencode "email=$email" --data-urlencode "password=$password" "$action")" \
    || die "sign-in as $email: POST $action failed"
  SIGN_IN_STATUS="${final%% *}"
  # Netscape cookie jar: domain, subdomains, path, secure, expiry, name, value; HttpOnly ones carry a prefix.
  r="$(awk -v h="$cookie_host" '{ d=$1; sub(/^#HttpOnly_/, "", d) } d==h && $6=="_pomerium" { print $7 }' "$jar")"
  [[ -n "$r" ]] || { sed 's/<[^>]*>//g' "$page" | grep -v '^\s*$' | head -n 5 >&2; die "sign-in as $email ended at '$final' with no _pomerium cookie for $cookie_host"; }
  log "signed in as $email through the built-in provider (ended at '$final'): _pomerium cookie for $cookie_host, ${#r} bytes"
  printf -v "$var" '%s' "$r"
}

# bench_builtin_provider USERS-FILE PORT: sign-in through the built-in provider for a Portcullis on
# 127.0.0.1:PORT. Makes USERS-FILE with bench@example.com (password BENCH_PASSWORD, random when unset)
# unless it exists, so that several processes can share it; sets SIGN_IN_YAML to the config lines
# (authenticate_service_url on PORT, the users file, a cookie that is not Secure since the run is
# plain HTTP and curl keeps no Secure cookie from an http:// answer) and SIGN_IN_POLICY to the route
# lines that let in only bench@example.com.
# shellcheck disable=SC2034
bench_builtin_provider() {
  local file=$1 port=$2
  [[ -n "${BENCH_PASSWORD:-}" ]] || BENCH_PASSWORD="bench-$(rand_b64 | tr -d '=+/' | head -c 16)"
  [[ -f "$file" ]] || bench_users_file "$file" "$BENCH_PASSWORD" bench@example.com
  SIGN_IN_YAML="authenticate_service_url: http://authenticate.localhost:$port
idp_provider: builtin
builtin_users_file: $file
cookie_secure: false"
  SIGN_IN_POLICY='    policy: [{allow: {or: [{email: {is: bench@example.com}}]}}]'
}

# bench_sign_in_route VAR NAME PORT: for the route http://bench.localhost of NAME on 127.0.0.1:PORT
# set up with bench_builtin_provider: a request without a cookie must not get 200; then a real sign-in
# as bench@example.com (bench_sign_in) must end in 200 from the upstream. Sets VAR to the cookie.
bench_sign_in_route() {
  local var=$1 name=$2 port=$3 code
  code="$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H 'Host: bench.localhost' "http://127.0.0.1:$port/" || true)"
  [[ "$code" != "200" ]] || die "$name served the signed-in route without a session cookie"
  bench_sign_in "$var" "http://bench.localhost:$port/" bench@example.com "$BENCH_PASSWORD" bench.localhost \
    "bench.localhost:$port:127.0.0.1" "authenticate.localhost:$port:127.0.0.1"
  [[ "$SIGN_IN_STATUS" == 200 ]] || die "$name: after signing in, GET / answered $SIGN_IN_STATUS, want 200"
}

# ---------------------------------------------------------------- portcullis
# start_portcullis DIR: runs $JAR with DIR/config.yaml on the proxy CPU set, stdout (the access log)
# and stderr to DIR/stdout.log and DIR/stderr.log; sets LAST_PID and adds it to PIDS.
start_portcullis() {
  local dir=$1
  log "starting portcullis with $dir/config.yaml: java $JVM_OPTS -jar $JAR"
  # shellcheck disable=SC2086
  "${TS_PROXY[@]}" java $JVM_OPTS -jar "$JAR" --config "$dir/config.yaml" \
    >"$dir/stdout.log" 2>"$dir/stderr.log" &
  LAST_PID=$!; PIDS+=("$LAST_PID")
}

# wait_ping NAME PID PORT HOST DIR: waits up to 60 s for GET http://127.0.0.1:PORT/ping (Host: HOST) to
# answer OK; otherwise dies with the tails of DIR/stdout.log and DIR/stderr.log.
wait_ping() {
  local name=$1 pid=$2 port=$3 host=$4 dir=$5
  wait_http "http://127.0.0.1:$port/ping" "$host" OK 60 "$pid" && return 0
  log "$name stdout (tail):"; tail -n 20 "$dir/stdout.log" >&2 || true
  log "$name stderr (tail):"; tail -n 40 "$dir/stderr.log" >&2 || true
  kill -0 "$pid" 2>/dev/null && die "$name did not answer /ping on 127.0.0.1:$port within 60 s"
  die "$name exited before answering /ping (it must serve HTTP on 127.0.0.1:$port)"
}
