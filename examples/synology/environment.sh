# shellcheck shell=bash
# The environment both scripts share: read ./.env, and make the two secrets once.
# Sourced by docker-run.sh and run-jar.sh from this directory; not run on its own.

# KEY=value lines of ./.env, for variables the environment does not already set.
load_env_file() {
  local line key
  [[ -f .env ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    key=${line%%=*}
    if [[ $key =~ ^[A-Z_][A-Z0-9_]*$ && -z ${!key:-} ]]; then
      export "$key=${line#*=}"
    fi
  done <.env
}

# 32 random bytes in base64, added to ./.env (readable by its owner only) when not set yet.
ensure_secret() {
  local name=$1 value
  if [[ -z ${!name:-} ]]; then
    value=$(head -c32 /dev/urandom | base64)
    (umask 077 && printf '%s=%s\n' "$name" "$value" >>.env)
    export "$name=$value"
  fi
}
