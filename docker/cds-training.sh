#!/bin/sh
# Writes the application class-data sharing archive (AppCDS) of the image: the classes the proxy
# loads to start and to answer its first requests, already parsed, verified and laid out, so that
# the container's JVM maps them from this file instead of reading them out of the jar one by one.
#
#   cds-training.sh ARCHIVE
#
# Run by docker/Dockerfile in the final stage, as root before USER, with the runtime and the jar at
# the paths the image starts them from: the JVM accepts an archive only for the same runtime and the
# same jar (path, size and time), so it cannot be made anywhere else. The training run starts the
# proxy as the ENTRYPOINT does, plus -XX:ArchiveClassesAtExit, on one public and one signed-in-only
# route to a busybox httpd, makes the requests a first visitor makes (the route, the sign-in
# redirect, the pages, /ping), and stops it with SIGTERM as `docker stop` does; the JVM writes the
# archive as it exits. Nothing of the run stays in the image but the archive.
set -eu
archive=$1
java=${PORTCULLIS_JAVA:-/opt/portcullis/bin/java}  # the overrides are for trying it outside the image
jar=${PORTCULLIS_JAR:-/opt/portcullis/portcullis.jar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir "$work/www" "$work/data"
echo hello > "$work/www/index.html"
# The build may share the host's network (podman build --network=host): the upstream takes a random
# free port, the proxy port 0.
upstream=
for _ in 1 2 3 4 5 6 7 8 9 10; do
  up_port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
  busybox httpd -f -p "127.0.0.1:$up_port" -h "$work/www" 2>/dev/null &
  upstream=$!
  sleep 0.2
  kill -0 "$upstream" 2>/dev/null && break
  upstream=
done
[ -n "$upstream" ] || { echo "cds-training.sh: busybox httpd found no free port" >&2; exit 1; }

secret=$(head -c 32 /dev/urandom | base64)
policy=$(base64 -w0 <<EOF
- from: http://public.localhost
  to: http://127.0.0.1:$up_port
  allow_public_unauthenticated_access: true
- from: http://private.localhost
  to: http://127.0.0.1:$up_port
  policy:
    - allow:
        or:
          - email:
              is: someone@example.com
EOF
)
: > "$work/config.yaml"
# The ENTRYPOINT's flags matter: the archive records the heap and class-pointer layout it was made with.
# shellcheck disable=SC2086 # JVM_FLAGS is a list of flags
INSECURE_SERVER=TRUE ADDRESS=127.0.0.1:0 POLICY=$policy COOKIE_SECRET=$secret SHARED_SECRET=$secret \
  AUTHENTICATE_SERVICE_URL=http://authenticate.localhost IDP_PROVIDER=oidc IDP_PROVIDER_URL=http://127.0.0.1:$up_port \
  IDP_CLIENT_ID=training IDP_CLIENT_SECRET=training DATA_DIR="$work/data" AUTOCERT_DIR="$work/data" \
  "$java" $JVM_FLAGS -XX:ArchiveClassesAtExit="$archive" -jar "$jar" --config "$work/config.yaml" \
  > "$work/proxy.log" 2>&1 &
proxy=$!

# The proxy says where it listens: "listening on 127.0.0.1:PORT (…".
i=0
until port=$(sed -n 's/.*"listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/proxy.log") && [ -n "$port" ]; do
  i=$((i + 1))
  if [ "$i" -gt 600 ] || ! kill -0 "$proxy" 2>/dev/null; then
    cat "$work/proxy.log" >&2
    echo "cds-training.sh: the proxy did not start" >&2
    exit 1
  fi
  sleep 0.1
done
# get HOST PATH: one request with busybox wget (its exit status ignored: 302, 403 and 404 are training too).
get() { busybox wget -q -Y off -O /dev/null --header "Host: $1" "http://127.0.0.1:$port$2" 2>/dev/null || true; }
for _ in 1 2 3 4 5 6 7 8 9 10; do
  get public.localhost /
  get private.localhost /
  get private.localhost /.pomerium/
  get authenticate.localhost /.pomerium/sign_in
  get nowhere.localhost /
  get public.localhost /healthz
  get public.localhost /ping
done
kill -TERM "$proxy"
status=0
wait "$proxy" || status=$?
kill "$upstream" 2>/dev/null || true
# 143 is the JVM's exit status after SIGTERM.
if [ ! -s "$archive" ] || { [ "$status" -ne 0 ] && [ "$status" -ne 143 ]; }; then
  cat "$work/proxy.log" >&2
  echo "cds-training.sh: no archive written (the proxy exited with $status)" >&2
  exit 1
fi
chmod 0444 "$archive"
# The proof that the archive fits: -Xshare:on refuses to start when it cannot be mapped.
# shellcheck disable=SC2086
"$java" $JVM_FLAGS -Xshare:on -XX:SharedArchiveFile="$archive" -jar "$jar" --version >/dev/null
