#!/usr/bin/env bash
# Starts the Synology guide's two containers from the command line (ssh into the NAS, then
# `sudo ./docker-run.sh`): httpbin, and the proxy linked to it and published on port 32443,
# where DSM's reverse proxy sends the HTTPS traffic it has decrypted. The environment is the
# guide's, unchanged; the Docker app's Environment tab takes the same variables.
#
# Needs IDP_CLIENT_ID and IDP_CLIENT_SECRET (from the identity provider, see README.md) in the
# environment or in ./.env. COOKIE_SECRET and SHARED_SECRET come from the environment, else from
# ./.env, where they are generated on first use and kept (new ones would sign everyone out).
set -euo pipefail
cd "$(dirname "$0")"

# shellcheck source=environment.sh
source ./environment.sh

load_env_file
ensure_secret COOKIE_SECRET
ensure_secret SHARED_SECRET
: "${IDP_CLIENT_ID:?is not set: register the app with your identity provider (README.md), then export it or add it to .env}"
: "${IDP_CLIENT_SECRET:?is not set: register the app with your identity provider (README.md), then export it or add it to .env}"
export IDP_PROVIDER=${IDP_PROVIDER:-google}
export AUTHENTICATE_SERVICE_URL=${AUTHENTICATE_SERVICE_URL:-https://authenticate.int.nas.example}

# The application; its container name is the host name in policy.yaml's `to: http://httpbin`.
if ! docker container inspect httpbin >/dev/null 2>&1; then
  docker run -d --name httpbin --restart unless-stopped kennethreitz/httpbin
fi

# The secrets are passed by name (-e NAME), so that their values do not show in the process list;
# IDP_PROVIDER_URL (for IDP_PROVIDER=oidc) is passed the same way, and only when it is set.
docker run -d --name pomerium --restart unless-stopped -p 32443:443 --link httpbin:httpbin -e POLICY="$(base64 -w0 policy.yaml)" -e INSECURE_SERVER=TRUE -e IDP_PROVIDER="$IDP_PROVIDER" -e IDP_PROVIDER_URL -e IDP_CLIENT_ID="$IDP_CLIENT_ID" -e IDP_CLIENT_SECRET -e COOKIE_SECRET -e SHARED_SECRET -e AUTHENTICATE_SERVICE_URL="$AUTHENTICATE_SERVICE_URL" portcullis/portcullis:latest
