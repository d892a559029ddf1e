#!/bin/sh
# The image's HEALTHCHECK: GET /ping on the proxy's own listener with busybox wget, so that a
# check costs a few milliseconds and a megabyte instead of a second JVM.
#
# Where the proxy listens, as the proxy itself decides it (the environment wins over the file):
#   ADDRESS, else the top-level `address:` of the config file, else :443. A wildcard or empty host
#   (`:443`, `0.0.0.0:443`, `[::]:443`) is probed on 127.0.0.1.
#   INSECURE_SERVER, else the file's `insecure_server:`: true means plain HTTP, otherwise HTTPS.
# The file is PORTCULLIS_CONFIG, default /pomerium/config.yaml (the image's --config). Only
# top-level `key: value` lines are read; a configuration this cannot read (a nested or flow-style
# YAML file) still works, because the other scheme is tried when the first one fails.
# HTTPS is probed without checking the certificate: the probe talks to 127.0.0.1, which no real
# certificate names, and what it checks is that the listener answers, not who it is.
#
# PORTCULLIS_HEALTHCHECK_URL replaces all of this with one URL (e.g. http://127.0.0.1:8080/ping).
# Exit 0 when /ping answered 2xx, 1 otherwise (what Docker's HEALTHCHECK expects).
set -u

config=${PORTCULLIS_CONFIG:-/pomerium/config.yaml}
wget_cmd=${PORTCULLIS_WGET:-busybox wget}

# file_value KEY: the value of a top-level `KEY: value` line of the config file, without quotes
# or a trailing comment; empty when the file or the key is absent.
file_value() {
  [ -r "$config" ] || return 0
  sed -n "s/^$1:[[:space:]]*//p" "$config" | head -n 1 \
    | sed -e 's/[[:space:]]#.*$//' -e 's/[[:space:]]*$//' -e "s/^[\"']//" -e "s/[\"']\$//"
}

# probe URL: 0 when URL answers 2xx. No -T: Debian bookworm's busybox-static 1.35 wget crashes
# (SIGSEGV) with it; the HEALTHCHECK's --timeout bounds the probe instead.
probe() {
  case $1 in
    https:*) $wget_cmd -q --no-check-certificate -O - "$1" ;;
    *) $wget_cmd -q -O - "$1" ;;
  esac
}

if [ -n "${PORTCULLIS_HEALTHCHECK_URL:-}" ]; then
  probe "$PORTCULLIS_HEALTHCHECK_URL" >/dev/null
  exit $?
fi

address=${ADDRESS:-$(file_value address)}
address=${address:-:443}
case $address in
  *:*) host=${address%:*}; port=${address##*:} ;;
  *) host=; port=$address ;;
esac
case $host in
  '' | '*' | 0.0.0.0 | '::' | '[::]') host=127.0.0.1 ;;
  *:*) case $host in \[*) ;; *) host="[$host]" ;; esac ;;
esac

insecure=${INSECURE_SERVER:-$(file_value insecure_server)}
case $(printf '%s' "$insecure" | tr '[:upper:]' '[:lower:]') in
  true | t | 1 | yes | y | on) first=http; second=https ;;
  *) first=https; second=http ;;
esac

if probe "$first://$host:$port/ping" >/dev/null 2>&1; then
  exit 0
fi
if probe "$second://$host:$port/ping" >/dev/null 2>&1; then
  exit 0
fi
echo "healthcheck: no 2xx from /ping at $first://$host:$port or $second://$host:$port" >&2
exit 1
