#!/usr/bin/env bash
# Runs the proxy from the jar with the same environment as docker-run.sh (no configuration file),
# listening with plain HTTP on :32443, where DSM's reverse proxy sends the HTTPS traffic it has
# decrypted. Build the jar first, from the repository root: mvn -q -B -DskipTests package
#
#   ./run-jar.sh                            run the proxy
#   ./run-jar.sh validate --config /dev/null   check this configuration (an empty file: environment only)
#
# Needs IDP_CLIENT_ID and IDP_CLIENT_SECRET (from the identity provider, see README.md) in the
# environment or in ./.env. COOKIE_SECRET and SHARED_SECRET come from the environment, else from
# ./.env, where they are generated on first use and kept (new ones would sign everyone out).
set -euo pipefail
cd "$(dirname "$0")"
jar=${PORTCULLIS_JAR:-../../proxy-core/target/portcullis.jar}

# shellcheck source=environment.sh
source ./environment.sh

if [[ ! -f $jar ]]; then
  echo "run-jar.sh: $jar not found; build it from the repository root: mvn -q -B -DskipTests package" >&2
  exit 2
fi
load_env_file
ensure_secret COOKIE_SECRET
ensure_secret SHARED_SECRET
: "${IDP_CLIENT_ID:?is not set: register the app with your identity provider (README.md), then export it or add it to .env}"
: "${IDP_CLIENT_SECRET:?is not set: register the app with your identity provider (README.md), then export it or add it to .env}"

POLICY=$(base64 -w0 policy.yaml)
export POLICY
export INSECURE_SERVER=TRUE
export IDP_PROVIDER=${IDP_PROVIDER:-google}
export AUTHENTICATE_SERVICE_URL=${AUTHENTICATE_SERVICE_URL:-https://authenticate.int.nas.example}
# In the container the proxy listens on :443, published as 32443; here it listens on 32443 itself.
export ADDRESS=${ADDRESS:-:32443}

exec java -jar "$jar" "$@"
