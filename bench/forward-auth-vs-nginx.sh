#!/usr/bin/env bash
# What forward-auth costs: nginx alone vs nginx asking Portcullis (auth_request) on every request.
#
# One nginx upstream serves "hello\n". One front nginx listens on two ports:
#   (a) a plain reverse proxy to the upstream, no authentication;
#   (b) the same reverse proxy with `auth_request /verify`, an internal location that asks
#       Portcullis's /verify (forward_auth_url host) over a keep-alive upstream, and passes the
#       answer's X-Pomerium-Jwt-Assertion (and X-Pomerium-Claim-Email) to the upstream;
#   (c) with --ceiling: the same as (b), but /verify asks an nginx that answers 200 at once: what any
#       checker could reach at best in this layout.
# The same wrk load, with the `Cookie: _pomerium=…` that a real sign-in of alice@example.com (the
# built-in provider, through the front nginx, with curl) set, is sent alternately to (a), (b) and (c).
# Prints req/s, p50, p99, the ratios, Portcullis's CPU and memory. See bench/README.md.
#
# Everything listens on 127.0.0.1 only; every process started is stopped on exit;
# a watchdog bounds the whole run in time.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/forward-auth-vs-nginx.sh [options]

  --duration SECS     length of each measured wrk run (default 20)
  --connections N     wrk connections (default 64)
  --threads N         wrk threads (default 2)
  --rounds N          (a)/(b) alternations (default 3)
  --warmup SECS       warm-up through (b) before measuring (default 60: on one
                      shared core, C2 takes ~40 s to bring /verify to speed)
  --quick             smoke test (~40 s): --duration 3 --warmup 2 --rounds 1
  --no-build          do not build the jar, even when it is missing
  --jar PATH          jar to run (default proxy-core/target/portcullis.jar)
  --jvm-opts "OPTS"   JVM flags (default "-Xms64m -Xmx256m -XX:+UseSerialGC";
                      env PORTCULLIS_BENCH_JVM_OPTS works too)
  --nginx-keepalive N idle connections nginx keeps to the upstream and to
                      Portcullis (default: max(32, connections))
  --no-access-log     no access line per request (nginx: access_log off;
                      Portcullis: log_level: warn)
  --no-pin            do not pin with taskset: everything shares all cores
  --ceiling           also measure (c): the front nginx of (b) with auth_request to
                      an nginx checker (on the same cpus as Portcullis) that answers
                      200 with a fixed assertion at once: the best any checker can do
  --fake-auth         self-test of this script: a second nginx stands in for
                      Portcullis's /verify (200 + a fake assertion with a
                      _pomerium cookie, else 401); no jar needed
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
ROUNDS=3
WARMUP=60
USER_EMAIL="alice@example.com"
CEILING=0
args=()
for a in "$@"; do if [[ "$a" == --ceiling ]]; then CEILING=1; else args+=("$a"); fi; done
bench_options --fake-auth "${args[@]}"

bench_tools $(( FAKE == 0 ))
(( FAKE )) || bench_build
bench_cpu_layout
# Whole run bounded: start-up and checks + warm-up + measured runs + slack.
bench_start $(( 120 + WARMUP + 4 + ROUNDS * (2 + CEILING) * (RETRIES + 1) * (DURATION + 10 + WAIT_IDLE) + 300 ))
(( FAKE )) || bench_snapshot_jar

UP_PORT=$(free_port); A_PORT=$(free_port); B_PORT=$(free_port); PX_PORT=$(free_port)
C_PORT=$(free_port); CK_PORT=$(free_port)
# The route and the Host header name the (b) port; both (a) and (b) get the same bytes.
SITE="bench.localhost:$B_PORT"
FA_HOST="forwardauth.localhost:$PX_PORT"
AUTHN_HOST="authenticate.localhost:$PX_PORT"

# ---------------------------------------------------------------- upstream nginx
# /assertion echoes the assertion the upstream received, so the script can check that (b) passes it.
write_upstream_conf "$WORK/up" "$UP_PORT" \
  '    location = /assertion { default_type text/plain; return 200 "$http_x_pomerium_jwt_assertion|$http_x_pomerium_claim_email\n"; }'

# ---------------------------------------------------------------- front nginx: (a) and (b)
# The locations of a front server whose every request is first checked by the upstream block named
# $1 with auth_request, as examples/nginx-auth-request does: (b) asks Portcullis, (c) the nginx that
# answers at once.
checked_locations() {
  cat <<EOF
    location = /ping { access_log off; default_type text/plain; return 200 "OK\n"; }
    location / {
      auth_request /verify;
      # not signed in: to sign in (the 401's Location), as examples/nginx-auth-request does
      auth_request_set \$signin \$upstream_http_location;
      error_page 401 =302 \$signin;
      auth_request_set \$pomerium_jwt \$upstream_http_x_pomerium_jwt_assertion;
      auth_request_set \$pomerium_email \$upstream_http_x_pomerium_claim_email;
      proxy_pass http://bench_up;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Pomerium-Jwt-Assertion \$pomerium_jwt;
      proxy_set_header X-Pomerium-Claim-Email \$pomerium_email;
    }
    location = /verify {
      internal;
      proxy_pass http://$1;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header Connection "";
      proxy_set_header Host $FA_HOST;
      # \$http_host, not \$host: \$host drops the port, and the route's from names it.
      proxy_set_header X-Original-Url \$scheme://\$http_host\$request_uri;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
EOF
}

front_conf() {
  local dir=$1 alog="access_log off;"
  mkdir -p "$dir/logs" "$dir/tmp"
  (( ACCESS_LOG )) && alog="access_log $dir/logs/access.log bench;"
  cat > "$dir/nginx.conf" <<EOF
worker_processes $PROXY_NCPU;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  # One access line per client request (auth subrequests are not logged: log_subrequest off).
  log_format bench escape=json '{"time":"\$time_iso8601","method":"\$request_method","host":"\$host","path":"\$request_uri","status":\$status,"bytes":\$body_bytes_sent,"duration":\$request_time}';
  $alog
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  upstream bench_up { server 127.0.0.1:$UP_PORT; keepalive $NGX_KEEPALIVE; }
  upstream portcullis { server 127.0.0.1:$PX_PORT; keepalive $NGX_KEEPALIVE; }
  upstream ceiling { server 127.0.0.1:$CK_PORT; keepalive $NGX_KEEPALIVE; }
  proxy_http_version 1.1;
  proxy_set_header Connection "";

  # (a) reverse proxy, no authentication
  server {
    listen 127.0.0.1:$A_PORT backlog=4096;
    location = /ping { access_log off; default_type text/plain; return 200 "OK\n"; }
    location / {
      proxy_pass http://bench_up;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }

  # (b) the same, each request first checked by Portcullis
  server {
    listen 127.0.0.1:$B_PORT backlog=4096;
$(checked_locations portcullis)
    # the sign-in hand-off comes back to this host (docs/forward-auth.md)
    location /.pomerium/ {
      proxy_pass http://portcullis;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }

  # (c) the same as (b), each request checked by an nginx that answers at once (--ceiling)
  server {
    listen 127.0.0.1:$C_PORT backlog=4096;
$(checked_locations ceiling)
  }
}
EOF
}
front_conf "$WORK/ngx"

log "cpus: $NCPU; front nginx and Portcullis on cpus $PROXY_CPUS, wrk + upstream on cpus $LOAD_CPUS (pin=$PIN)"
log "ports: upstream $UP_PORT, nginx (a) $A_PORT, nginx (b) $B_PORT, portcullis $PX_PORT; work dir $WORK"

start_nginx "$WORK/up" TS_LOAD; UP_PID=$LAST_PID
start_nginx "$WORK/ngx" TS_PROXY; NGX_PID=$LAST_PID
wait_http "http://127.0.0.1:$UP_PORT/" localhost hello 10 "$UP_PID" \
  || { cat "$WORK/up/logs/"*.log >&2 || true; die "upstream nginx did not start"; }
wait_http "http://127.0.0.1:$A_PORT/" "$SITE" hello 10 "$NGX_PID" \
  || { cat "$WORK/ngx/logs/"*.log >&2 || true; die "front nginx did not start"; }

# ---------------------------------------------------------------- the nginx checker
# An nginx that answers a check at once: 200 with a fixed assertion (header and payload are real
# base64url JSON, so the assertion check below applies unchanged) when a _pomerium cookie is sent,
# else 401 with a sign-in URL as Location. It stands in for Portcullis with --fake-auth, and is the checker of (c) with --ceiling.
#   checker_conf DIR PORT
checker_conf() {
  local dir=$1 port=$2
  mkdir -p "$dir/logs" "$dir/tmp"
  cat > "$dir/nginx.conf" <<EOF
worker_processes $PROXY_NCPU;
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
    location = /ping { default_type text/plain; return 200 "OK\n"; }
    location = /verify {
      if (\$http_cookie !~ "_pomerium=") {
        add_header Location "http://$AUTHN_HOST/.pomerium/sign_in?pomerium_redirect_uri=fake" always;
        return 401;
      }
      add_header X-Pomerium-Jwt-Assertion "eyJhbGciOiJub25lIiwiZmFrZSI6dHJ1ZX0.eyJlbWFpbCI6ImFsaWNlQGV4YW1wbGUuY29tIiwic3ViIjoiZmFrZSJ9.fake";
      add_header X-Pomerium-Claim-Email "$USER_EMAIL";
      return 200;
    }
  }
}
EOF
}
if (( CEILING )); then
  checker_conf "$WORK/ck" "$CK_PORT"
  start_nginx "$WORK/ck" TS_PROXY; CK_PID=$LAST_PID
  wait_http "http://127.0.0.1:$CK_PORT/ping" localhost OK 10 "$CK_PID" \
    || { cat "$WORK/ck/logs/"*.log >&2 || true; die "the nginx checker of (c) did not start"; }
fi

# ---------------------------------------------------------------- portcullis (or its stand-in)
mkdir -p "$WORK/px/logs"
# curl reaches the names of the sign-in's redirects on this run's loopback ports.
RESOLVE=("bench.localhost:$B_PORT:127.0.0.1" "authenticate.localhost:$PX_PORT:127.0.0.1")
if (( FAKE )); then
  log "--fake-auth: an nginx stands in for Portcullis's /verify"
  checker_conf "$WORK/px" "$PX_PORT"
  start_nginx "$WORK/px" TS_PROXY; PX_PID=$LAST_PID
  PX_NAME="nginx(fake-auth)"
  COOKIE="fake-session-$(rand_b64 | tr -d '=+/')"
  OTHER_COOKIE=""
else
  # Two users of the built-in provider, no TOTP: alice, whom the route lets in, and bob, whom it refuses.
  # Cookies are not Secure, since this run is plain HTTP and curl keeps no Secure cookie from http://.
  BENCH_PASSWORD="bench-$(rand_b64 | tr -d '=+/' | head -c 16)"
  bench_users_file "$WORK/px/users.yaml" "$BENCH_PASSWORD" "$USER_EMAIL" bob@example.com
  cat > "$WORK/px/config.yaml" <<EOF
address: 127.0.0.1:$PX_PORT
insecure_server: true
cookie_secret: $(rand_b64)
shared_secret: $(rand_b64)
cookie_secure: false
$( ((ACCESS_LOG)) && echo "log_level: info" || echo "log_level: warn")
forward_auth_url: http://$FA_HOST
xff_num_trusted_hops: 1
jwt_claims_headers: [email]
authenticate_service_url: http://$AUTHN_HOST
idp_provider: builtin
builtin_users_file: $WORK/px/users.yaml
routes:
  - from: http://$SITE
    policy:
      - allow:
          or:
            - email:
                is: $USER_EMAIL
EOF
  start_portcullis "$WORK/px"; PX_PID=$LAST_PID
  PX_NAME="portcullis"
fi

wait_ping "$PX_NAME" "$PX_PID" "$PX_PORT" "$FA_HOST" "$WORK/px"
if (( ! FAKE )); then
  # The cookies come from real sign-ins through the front nginx (b): its auth_request's 401 becomes a
  # 302 to the authenticate host, the built-in page, the password, the callback, the hand-off back to
  # the route host (location /.pomerium/ on (b)), and (b) again.
  bench_sign_in COOKIE "http://$SITE/" "$USER_EMAIL" "$BENCH_PASSWORD" bench.localhost "${RESOLVE[@]}"
  [[ "$SIGN_IN_STATUS" == 200 ]] || die "after signing in as $USER_EMAIL, (b) GET / answered $SIGN_IN_STATUS, want 200"
  bench_sign_in OTHER_COOKIE "http://$SITE/" bob@example.com "$BENCH_PASSWORD" bench.localhost "${RESOLVE[@]}"
  [[ "$SIGN_IN_STATUS" == 403 ]] || die "after signing in as bob@example.com, (b) GET / answered $SIGN_IN_STATUS, want 403"
fi
[[ "$COOKIE" =~ ^[A-Za-z0-9._=+/-]+$ ]] || die "unexpected cookie value '${COOKIE:0:80}'"

# ---------------------------------------------------------------- checks before measuring
status_of() { # port path [cookie] -> "status location"
  local c=()
  [[ -n "${3:-}" ]] && c=(-H "Cookie: _pomerium=$3")
  curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -m 10 -H "Host: $SITE" "${c[@]}" "http://127.0.0.1:$1$2" || true
}
body_of() { # port path cookie
  curl -s -m 10 -H "Host: $SITE" -H "Cookie: _pomerium=$3" "http://127.0.0.1:$1$2" || true
}
check_fail() { tail -n 5 "$WORK/px/stdout.log" >&2 || true; tail -n 20 "$WORK/px/stderr.log" >&2 || true; tail -n 5 "$WORK/ngx/logs/error.log" >&2 || true; die "$*"; }
got="$(body_of "$A_PORT" / "$COOKIE")"; [[ "$got" == hello ]] || check_fail "(a) GET / returned '${got:0:200}', want 'hello'"
# check_front NAME PORT: a front that checks each request lets the cookie's owner through, passes
# the check's assertion and email claim to the upstream, and sends a stranger to sign in.
check_front() {
  local name=$1 port=$2 got st jwt email jwt_payload pad claims
  got="$(body_of "$port" / "$COOKIE")"; [[ "$got" == hello ]] || check_fail "$name GET / with the cookie returned '${got:0:200}', want 'hello'"
  st="$(status_of "$port" / "$COOKIE")"; [[ "$st" == "200 " ]] || check_fail "$name GET / with the cookie: status $st, want 200"
  st="$(status_of "$port" /)"
  [[ "$st" == "302 http://$AUTHN_HOST/"* ]] || check_fail "$name GET / without a cookie: '$st', want 302 to http://$AUTHN_HOST/"
  # What the upstream received: "assertion|email".
  got="$(body_of "$port" /assertion "$COOKIE")"
  jwt="${got%%|*}"; email="${got#*|}"
  IFS=. read -r _ jwt_payload _ <<<"$jwt"
  [[ "$jwt" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] || check_fail "upstream got no JWT in X-Pomerium-Jwt-Assertion through $name: '${got:0:200}'"
  pad=$(( (4 - ${#jwt_payload} % 4) % 4 )); jwt_payload+="$(printf '%*s' "$pad" '' | tr ' ' '=')"
  claims="$(printf '%s' "$jwt_payload" | tr '_-' '/+' | base64 -d 2>/dev/null || true)"
  [[ "$claims" == *"\"$USER_EMAIL\""* ]] || check_fail "the assertion the upstream got through $name does not name $USER_EMAIL: '${claims:0:300}'"
  [[ "$email" == "$USER_EMAIL" ]] || check_fail "upstream got X-Pomerium-Claim-Email '$email' through $name, want $USER_EMAIL"
}
check_front "(b)" "$B_PORT"
if [[ -n "$OTHER_COOKIE" ]]; then
  st="$(status_of "$B_PORT" / "$OTHER_COOKIE")"; [[ "$st" == "403 " ]] || check_fail "(b) GET / as bob (not allowed by the policy): status $st, want 403"
fi
(( CEILING )) && check_front "(c)" "$C_PORT"
got="$(body_of "$A_PORT" /assertion "$COOKIE")"; [[ "$got" == "|" ]] || check_fail "(a) passed identity headers: '${got:0:200}'"
log "checks passed: (b)$( ((CEILING)) && echo " and (c)") 200 with the cookie, 302 to sign in without$([[ -n "$OTHER_COOKIE" ]] && echo ", 403 for bob"); the upstream gets the assertion for $USER_EMAIL through them only"

# ---------------------------------------------------------------- measuring
WRK_BASE=(wrk -t"$THREADS" -c"$CONNECTIONS" --latency --timeout 5s -H "Host: $SITE" -H "Cookie: _pomerium=$COOKIE")
RESULTS="$WORK/results.tsv"   # target path round rps p50 p99 err cpu_proxy cpu_load other px_cpu
: > "$RESULTS"

log "warm-up: (b) ${WARMUP}s, (a)$( ((CEILING)) && echo " and (c)") 2s"
(( WARMUP > 0 )) && run_wrk b "$B_PORT" / "$WARMUP" "$WORK/warmup-b.txt"
run_wrk a "$A_PORT" / 2 "$WORK/warmup-a.txt"
(( CEILING )) && run_wrk c "$C_PORT" / 2 "$WORK/warmup-c.txt"
for w in "$WORK"/warmup-*.txt; do
  read -r _ _ _ werr <<<"$(parse_wrk "$w")"
  (( werr == 0 )) || { cat "$w" >&2; die "warm-up $(basename "$w") had $werr non-2xx responses or socket errors"; }
done

log "measuring: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS round(s), (a)/(b)$( ((CEILING)) && echo "/(c)") alternating"
CHECKER_PID=$PX_PID CHECKER_NAME=$PX_NAME
for round in $(seq 1 "$ROUNDS"); do
  measure a "$A_PORT" / "$round"
  measure b "$B_PORT" / "$round"
  if (( CEILING )); then
    # measure's per-run cpu column follows PX_PID: during (c) it is the nginx checker's
    PX_PID=$CK_PID PX_NAME="nginx(checker)"; measure c "$C_PORT" / "$round"; PX_PID=$CHECKER_PID PX_NAME=$CHECKER_NAME
  fi
done

# ---------------------------------------------------------------- memory
PX_RSS=$(tree_status_kb "$PX_PID" VmRSS); PX_HWM=$(tree_status_kb "$PX_PID" VmHWM)
NGX_RSS=$(tree_status_kb "$NGX_PID" VmRSS)

# ---------------------------------------------------------------- report
report() {
  local set_cores=$PROXY_NCPU
  (( PIN )) || set_cores=$NCPU
  echo
  echo "Forward-auth: nginx auth_request → $PX_NAME vs nginx alone — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -H 'Host: $SITE' -H 'Cookie: _pomerium=<from a real sign-in>', $ROUNDS round(s), alternating; access log: $( ((ACCESS_LOG)) && echo "on, to a file (nginx per request, $PX_NAME per check)" || echo off); nginx keepalive $NGX_KEEPALIVE to upstream and to $PX_NAME"
  echo "front nginx + $PX_NAME on cpus $PROXY_CPUS, wrk + upstream on cpus $LOAD_CPUS; JVM opts: $( ((FAKE)) && echo n/a || echo "$JVM_OPTS"); java: $(java -version 2>&1 | head -1)"
  echo
  echo "| | req/s | p50 ms | p99 ms | errors |"
  echo "|---|---:|---:|---:|---:|"
  awk -F'\t' -v name="$PX_NAME" '
    { n[$1]++; rps[$1]+=$4; p50[$1]+=$5; p99[$1]+=$6; err[$1]+=$7 }
    END {
      printf "| (a) nginx alone | %.0f | %.3f | %.3f | %d |\n", rps["a"]/n["a"], p50["a"]/n["a"], p99["a"]/n["a"], err["a"]
      printf "| (b) nginx + auth_request → %s | %.0f | %.3f | %.3f | %d |\n", name, rps["b"]/n["b"], p50["b"]/n["b"], p99["b"]/n["b"], err["b"]
      if (n["c"]) printf "| (c) nginx + auth_request → nginx answering 200 at once (ceiling) | %.0f | %.3f | %.3f | %d |\n", rps["c"]/n["c"], p50["c"]/n["c"], p99["c"]/n["c"], err["c"]
      ra=rps["a"]/n["a"]; rb=rps["b"]/n["b"]
      printf "\n**ratio b/a (req/s): %.2f**; p50 b/a %.2f, p99 b/a %.2f\n", (ra>0?rb/ra:0), (p50["a"]>0?p50["b"]/p50["a"]:0), (p99["a"]>0?p99["b"]/p99["a"]:0)
      if (n["c"]) { rc=rps["c"]/n["c"]
        printf "\n**ceiling c/a (req/s): %.2f**: no checker can do better in this layout; %s reaches b/c = %.2f of it\n", (ra>0?rc/ra:0), name, (rc>0?rb/rc:0) }
    }' "$RESULTS"
  echo
  echo "req/s and latencies are means over the rounds. Errors are non-2xx responses + socket errors."
  (( FAKE || WARMUP >= 30 )) || echo "NOTE: warm-up ${WARMUP}s: the JIT has not finished with $PX_NAME (it needs ~40 s on one core); (b) is far below its warm speed. A smoke test, not a measurement."
  echo
  echo "Per run (cpu µs/request = busy time of the proxy cpu set, or of the checker alone, per request served; the checker is $PX_NAME in (b)$( ((CEILING)) && echo ", the nginx checker in (c)"), idle in (a)):"
  echo
  echo "| run | round | req/s | p50 ms | p99 ms | errors | cpu busy, proxy set | cpu busy, wrk+upstream set | cpu of other processes (machine %) | checker cpu (% of a core) | proxy set µs/req | checker µs/req |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' -v cores="$set_cores" '{
      r=$4+0
      printf "| (%s) | %s | %.0f | %.3f | %.3f | %d | %s%% | %s%% | %s%% | %s%% | %.1f | %.1f |\n", $1, $3, r, $5, $6, $7, $8, $9, $10, $11,
        (r>0 ? ($8/100)*cores*1e6/r : 0), (r>0 ? ($11/100)*1e6/r : 0) }' "$RESULTS"
  awk -F'\t' '$10+0 > 10 { bad++ } END { if (bad) printf "\nWARNING: %d run(s) shared the machine with other busy processes (> 10%% of the machine): figures are not trustworthy, re-run on a quiet machine.\n", bad }' "$RESULTS"
  (( PIN )) || echo "(--no-pin: the proxy set is the whole machine, shared with wrk; its µs/req is not the proxies' cost alone)"
  echo
  printf '%s resident memory after the runs: VmRSS %d MiB, VmHWM (peak) %d MiB\n' "$PX_NAME" $(( PX_RSS / 1024 )) $(( PX_HWM / 1024 ))
  printf 'front nginx (master + workers) VmRSS: %d MiB\n' $(( NGX_RSS / 1024 ))
}
report | tee "$WORK/report.md"
[[ -n "$OUT" ]] && cp "$WORK/report.md" "$OUT"
exit 0
