#!/usr/bin/env bash
# Builds docker/Dockerfile with podman on a machine that can reach Debian's archive and Maven
# Central but no container registry: the base images the Dockerfile names by build argument are
# made here from Debian packages instead of being pulled.
#
#   docker/build-offline.sh            # -> localhost/portcullis:local
#   docker/build-offline.sh --tag NAME # another tag
#
# Base images (made once, reused while they exist; --rebuild-bases makes them again):
#   localhost/portcullis-bookworm       debootstrap --variant=minbase bookworm, made slim as
#                                       debian:bookworm-slim is (see slim()): BASE_IMAGE
#   localhost/portcullis-bookworm-jdk   that, plus Debian's openjdk-17-jdk-headless and maven:
#                                       MAVEN_IMAGE (mvn for the build stage, jlink for the runtime;
#                                       binutils, whose objcopy Debian's jlink --strip-debug runs)
# The Dockerfile itself is used unchanged; on a normal Docker host `docker build` with its
# defaults (maven:3.9-eclipse-temurin-21, debian:bookworm-slim) still works.
#
# Podman runs containers here with runc as root; crun does not work on these machines, and runc
# needs explicit ulimits. --format docker keeps the HEALTHCHECK, which the OCI format drops.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TAG=localhost/portcullis:local
REBUILD_BASES=0
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
while (($#)); do
  case $1 in
    --tag) TAG=$2; shift 2 ;;
    --rebuild-bases) REBUILD_BASES=1; shift ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

for tool in podman debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] || {
    echo "$tool is missing: apt-get install podman runc debootstrap" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "run as root: podman with runc and debootstrap need it here" >&2; exit 1; }

PODMAN=(podman --runtime runc)
BUILD=("${PODMAN[@]}" build --format docker --network=host
       --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
BASE=localhost/portcullis-bookworm
JDK=localhost/portcullis-bookworm-jdk

has_image() { "${PODMAN[@]}" image exists "$1"; }

# slim ROOT: what makes debian:bookworm-slim slim, done to a debootstrap tree (the settings are those
# of Debian's official images, debuerreotype's --slimify and its docker-* apt snippets). Without them
# every `apt-get update` in the Dockerfile leaves apt's two binary caches (about 78 MB) in the layer.
slim() {
  local root=$1
  cat > "$root/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
  echo 'Acquire::Languages "none";' > "$root/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";' > "$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
  cat > "$root/etc/dpkg/dpkg.cfg.d/docker" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
DPKG
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/{info,linda,locale,man,groff}/* "$root"/usr/share/lintian/overrides/* "$root"/var/cache/apt/*.bin
}

if ((REBUILD_BASES)) || ! has_image "$BASE"; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  echo "making $BASE with debootstrap (about a minute)" >&2
  /usr/sbin/debootstrap --variant=minbase bookworm "$root" "$MIRROR" >/dev/null
  # An image has no use for the package lists and the downloaded .debs.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  slim "$root"
  tar -C "$root" -c . | "${PODMAN[@]}" import --change 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
  rm -rf "$root"
  trap - EXIT
fi

if ((REBUILD_BASES)) || ! has_image "$JDK"; then
  echo "making $JDK (Debian's JDK 17 and Maven)" >&2
  # The build stage downloads from Maven Central. Where this machine reaches it through a TLS-inspecting
  # egress proxy, the proxy's CA is among the machine's local CAs (/usr/local/share/ca-certificates);
  # they are added to this build-only image (and, through ca-certificates-java, to the JDK's cacerts),
  # never to the runtime image.
  context=$(mktemp -d)
  trap 'rm -rf "$context"' EXIT
  mkdir "$context/local-cas"
  cp /usr/local/share/ca-certificates/*.crt "$context/local-cas/" 2>/dev/null || true
  "${BUILD[@]}" -t "$JDK" -f - "$context" <<EOF
FROM $BASE
COPY local-cas/ /usr/local/share/ca-certificates/
RUN apt-get update \\
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
         openjdk-17-jdk-headless ca-certificates-java maven ca-certificates binutils \\
    && update-ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
EOF
  rm -rf "$context"
  trap - EXIT
fi

echo "building $TAG from docker/Dockerfile" >&2
"${BUILD[@]}" \
  --build-arg MAVEN_IMAGE="$JDK" \
  --build-arg BASE_IMAGE="$BASE" \
  --ignorefile "$REPO/docker/Dockerfile.dockerignore" \
  -f "$REPO/docker/Dockerfile" -t "$TAG" "$REPO"
"${PODMAN[@]}" image inspect --format '{{.Id}} {{.Size}}' "$TAG" >&2
