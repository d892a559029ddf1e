#!/usr/bin/env bash
# The image itself, measured with podman (run as root, with runc): its size, the time from
# `podman run` to the first 200 on the route (a request proxied to the upstream), podman's own share
# of that (`podman run --rm IMAGE busybox true`), and the proxy's resident memory in the container at
# idle, under load and after it. Build the image first (docker/build-offline.sh).
#
#   bench/container-image.sh                    5 start-ups, 20 s idle, 20 s of wrk -t2 -c100
#   bench/container-image.sh --starts 9 --duration 30 --connections 200 --image localhost/portcullis:local
#   bench/container-image.sh --memory 1g        a container memory limit (podman run --memory), which the
#                                               JVM sizes its heap from, as under a NAS's 1 GB
#
# Each container runs as the Synology guide runs it: environment only (POLICY with one public route
# to an nginx upstream on the host that answers "hello", random secrets, INSECURE_SERVER=TRUE,
# ADDRESS on a free port), --network=host. Memory is VmRSS/VmHWM of the container's pid 1 (the JVM),
# read from /proc on the host, and podman stats' MEM USAGE (the container's cgroup, page cache
# included). Prints a Markdown table; stops and removes what it started.
set -euo pipefail
IMAGE=localhost/portcullis:local STARTS=5 DURATION=20 CONNECTIONS=100 IDLE=20 MEMORY=
while (($#)); do
  case $1 in
    --image) IMAGE=$2; shift 2 ;;
    --starts) STARTS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    --memory) MEMORY=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for tool in podman wrk curl nginx; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] || { echo "$tool is missing" >&2; exit 1; }
done
PODMAN=(podman --runtime runc)
RUN_OPTIONS=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096 --network=host ${MEMORY:+--memory "$MEMORY"})
RUN=("${PODMAN[@]}" run -d "${RUN_OPTIONS[@]}")
WORK=$(mktemp -d /tmp/portcullis-image-bench.XXXXXX)
CONTAINERS=()
NGINX_PID=
cleanup() {
  for c in "${CONTAINERS[@]}"; do "${PODMAN[@]}" rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
log() { printf '[image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# The upstream: nginx answering "hello".
UP=$(free_port)
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP; location / { default_type text/plain; return 200 "hello\n"; } }
}
EOF
"$(command -v nginx || echo /usr/sbin/nginx)" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off; master_process off;' &
NGINX_PID=$!

# The guide's environment, in a 0600 file so that no secret is on a command line.
env_file() {
  local port=$1 secret
  secret=$(head -c32 /dev/urandom | base64 -w0)
  umask 077
  cat > "$WORK/env-$port" <<EOF
POLICY=$(printf -- '- from: https://app.int.nas.example\n  to: http://127.0.0.1:%s\n  allow_public_unauthenticated_access: true\n' "$UP" | base64 -w0)
INSECURE_SERVER=TRUE
IDP_PROVIDER=oidc
IDP_PROVIDER_URL=https://accounts.google.com
IDP_CLIENT_ID=bench
IDP_CLIENT_SECRET=bench
COOKIE_SECRET=$secret
SHARED_SECRET=$(head -c32 /dev/urandom | base64 -w0)
AUTHENTICATE_SERVICE_URL=https://authenticate.int.nas.example
ADDRESS=:$port
EOF
  echo "$WORK/env-$port"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
start() { # name port -> "name ms" (ms: podman run to the first 200 on the route)
  local id=$1 port=$2 t0
  t0=$(now_ms)
  "${RUN[@]}" --name "$id" --env-file "$(env_file "$port")" "$IMAGE" >/dev/null 2>&1
  for _ in $(seq 1 1200); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' -m 1 -H 'Host: app.int.nas.example' "http://127.0.0.1:$port/") == 200 ]]; then
      echo "$id $(( $(now_ms) - t0 ))"; return 0
    fi
    sleep 0.025
  done
  "${PODMAN[@]}" logs "$id" >&2; echo "no 200 from the route on :$port within 30 s" >&2; exit 1
}
pid1() { "${PODMAN[@]}" inspect --format '{{.State.Pid}}' "$1"; }
kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN{printf "%.0f", k/1024}'; }
cgroup_mem() { "${PODMAN[@]}" stats --no-stream --format '{{.MemUsage}}' "$1" 2>/dev/null | cut -d/ -f1 | tr -d ' ' || echo n/a; }

SIZE=$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")
ARCH=$("${PODMAN[@]}" image inspect --format '{{.Architecture}}' "$IMAGE")
log "image $IMAGE ($ARCH): $SIZE bytes"

times=()
for i in $(seq 1 "$STARTS"); do
  id=portcullis-bench-$$-$i; CONTAINERS+=("$id")
  read -r id ms < <(start "$id" "$(free_port)")
  times+=("$ms")
  log "start-up $i: $ms ms"
  "${PODMAN[@]}" rm -f -t 0 "$id" >/dev/null
done
median_of() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
median=$(median_of "${times[@]}")
# podman's own share: the same image, a process that exits at once.
bare=()
for i in $(seq 1 "$STARTS"); do
  t0=$(now_ms)
  "${PODMAN[@]}" run --rm "${RUN_OPTIONS[@]}" --entrypoint /bin/busybox "$IMAGE" true >/dev/null 2>&1
  bare+=("$(( $(now_ms) - t0 ))")
done
bare_median=$(median_of "${bare[@]}")

port=$(free_port)
id=portcullis-bench-$$-memory; CONTAINERS+=("$id")
read -r id _ < <(start "$id" "$port")
pid=$(pid1 "$id")
for _ in $(seq 1 10); do curl -s -o /dev/null -H 'Host: app.int.nas.example' "http://127.0.0.1:$port/"; done
log "idle for ${IDLE} s"
sleep "$IDLE"
idle_rss=$(kb "$pid" VmRSS); idle_cg=$(cgroup_mem "$id")
log "wrk -t2 -c$CONNECTIONS -d${DURATION}s"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H 'Host: app.int.nas.example' "http://127.0.0.1:$port/" > "$WORK/wrk.txt" 2>&1 &
wrk_pid=$!
peak=0
while kill -0 "$wrk_pid" 2>/dev/null; do
  r=$(kb "$pid" VmRSS); (( r > peak )) && peak=$r
  sleep 1
done
wait "$wrk_pid"
load_cg=$(cgroup_mem "$id")
hwm=$(kb "$pid" VmHWM)
rps=$(awk '/^Requests\/sec:/{print $2}' "$WORK/wrk.txt")
errors=$(awk '/Non-2xx|Socket errors/' "$WORK/wrk.txt" | tr '\n' ' ')
log "after the load: idle for ${IDLE} s"
sleep "$IDLE"
after_rss=$(kb "$pid" VmRSS); after_cg=$(cgroup_mem "$id")

cat <<EOF

| what | value |
| --- | --- |
| image, memory limit | $IMAGE, $ARCH, ${MEMORY:-no limit} on a $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo) machine, $(awk -v b="$SIZE" 'BEGIN{printf "%.0f MB (%d bytes)", b/1e6, b}') |
| start-up, \`podman run\` to the first 200 on the route ($STARTS runs) | median $median ms (runs: $(echo "${times[@]}" | tr ' ' ',') ms) |
| podman alone, \`podman run --rm … busybox true\` ($STARTS runs) | median $bare_median ms (runs: $(echo "${bare[@]}" | tr ' ' ',') ms) |
| resident (VmRSS of pid 1) at idle, after 10 requests and ${IDLE} s | $(mib "$idle_rss") MiB (cgroup: $idle_cg) |
| peak under wrk -t2 -c$CONNECTIONS -d${DURATION}s (1-s samples; VmHWM) | $(mib "$peak") MiB ($(mib "$hwm") MiB), $rps req/s ${errors:-no errors} |
| ${IDLE} s after the load | $(mib "$after_rss") MiB (cgroup: $after_cg) |
| load average (1, 5 min) at the end, 2 vCPUs shared | $(cut -d" " -f1,2 /proc/loadavg) |
EOF
