#!/usr/bin/env bash
# Builds docker/Dockerfile with podman on a machine that can reach Debian's archive and Maven
# Central but no container registry: the base images the Dockerfile names by build argument are
# made here from Debian packages instead of being pulled.
#
#   docker/build-offline.sh            # -> localhost/portcullis:local
#   docker/build-offline.sh --tag NAME # another tag
#   docker/build-offline.sh --arch arm64   # -> localhost/portcullis:local-arm64, under QEMU user
#                                          #    emulation (qemu-user-static, binfmt_misc mounted)
#
# Base images (made once, reused while they exist; --rebuild-bases makes them again; another
# architecture's are suffixed -ARCH, e.g. localhost/portcullis-bookworm-arm64):
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
TAG=
ARCH=
REBUILD_BASES=0
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
while (($#)); do
  case $1 in
    --tag) TAG=$2; shift 2 ;;
    --arch) ARCH=$2; shift 2 ;;
    --rebuild-bases) REBUILD_BASES=1; shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

for tool in podman debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] || {
    echo "$tool is missing: apt-get install podman runc debootstrap" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "run as root: podman with runc and debootstrap need it here" >&2; exit 1; }

HOST_ARCH=$(dpkg --print-architecture)
ARCH=${ARCH:-$HOST_ARCH}
suffix=$([[ $ARCH == "$HOST_ARCH" ]] || echo "-$ARCH")
TAG=${TAG:-localhost/portcullis:local$suffix}
PODMAN=(podman --runtime runc)
BUILD=("${PODMAN[@]}" build --format docker --network=host
       --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
# The build stage (Maven) runs on this machine's platform; jlink and the image are the target's.
HOST_BASE=localhost/portcullis-bookworm
HOST_JDK=localhost/portcullis-bookworm-jdk
BASE=$HOST_BASE$suffix
JDK=$HOST_JDK$suffix
if [[ $ARCH != "$HOST_ARCH" ]]; then
  case $ARCH in arm64) qemu=aarch64 ;; armhf) qemu=arm ;; ppc64el) qemu=ppc64le ;; *) qemu=$ARCH ;; esac
  [[ $(head -n 1 "/proc/sys/fs/binfmt_misc/qemu-$qemu" 2>/dev/null) == enabled ]] || {
    echo "building for $ARCH on $HOST_ARCH needs QEMU user emulation registered with binfmt_misc:" \
         "apt-get install qemu-user-static binfmt-support, with binfmt_misc mounted" \
         "(mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc)" >&2
    exit 1; }
fi

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

# make_base ARCH NAME: debootstrap (for another architecture: --foreign, then the second stage run
# under QEMU in a chroot), made slim, imported as NAME.
make_base() {
  local arch=$1 name=$2
  root=$(mktemp -d)  # global: the EXIT trap runs after this function returned
  trap 'rm -rf "$root"' EXIT
  echo "making $name with debootstrap (about a minute; several under emulation)" >&2
  if [[ $arch == "$HOST_ARCH" ]]; then
    /usr/sbin/debootstrap --variant=minbase bookworm "$root" "$MIRROR" >/dev/null
  else
    /usr/sbin/debootstrap --arch="$arch" --foreign --variant=minbase bookworm "$root" "$MIRROR" >/dev/null
    chroot "$root" /debootstrap/debootstrap --second-stage >/dev/null
  fi
  # An image has no use for the package lists and the downloaded .debs.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  slim "$root"
  tar -C "$root" -c . | "${PODMAN[@]}" import --arch "$arch" --change 'CMD ["/bin/bash"]' - "$name" >/dev/null
  rm -rf "$root"
  trap - EXIT
}

# make_jdk ARCH BASE NAME: Debian's JDK 17 on BASE; Maven too on this machine's platform (the build stage).
# The JDK's postinst links its man pages into /usr/share/man/man1, which a slim base has emptied.
make_jdk() {
  local arch=$1 base=$2 name=$3 packages="openjdk-17-jdk-headless ca-certificates-java ca-certificates binutils"
  [[ $arch == "$HOST_ARCH" ]] && packages+=" maven"
  echo "making $name ($packages)" >&2
  # The build stage downloads from Maven Central. Where this machine reaches it through a TLS-inspecting
  # egress proxy, the proxy's CA is among the machine's local CAs (/usr/local/share/ca-certificates);
  # they are added to this build-only image (and, through ca-certificates-java, to the JDK's cacerts),
  # never to the runtime image.
  context=$(mktemp -d)  # global: the EXIT trap runs after this function returned
  trap 'rm -rf "$context"' EXIT
  mkdir "$context/local-cas"
  cp /usr/local/share/ca-certificates/*.crt "$context/local-cas/" 2>/dev/null || true
  "${BUILD[@]}" --platform "linux/$arch" -t "$name" -f - "$context" <<DOCKERFILE
FROM $base
COPY local-cas/ /usr/local/share/ca-certificates/
RUN mkdir -p /usr/share/man/man1 \\
    && apt-get update \\
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages \\
    && update-ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
DOCKERFILE
  rm -rf "$context"
  trap - EXIT
}

for arch in $(printf '%s\n' "$HOST_ARCH" "$ARCH" | uniq); do
  s=$([[ $arch == "$HOST_ARCH" ]] || echo "-$arch")
  if ((REBUILD_BASES)) || ! has_image "$HOST_BASE$s"; then make_base "$arch" "$HOST_BASE$s"; fi
  if ((REBUILD_BASES)) || ! has_image "$HOST_JDK$s"; then make_jdk "$arch" "$HOST_BASE$s" "$HOST_JDK$s"; fi
done

echo "building $TAG from docker/Dockerfile" >&2
"${BUILD[@]}" \
  --platform "linux/$ARCH" \
  --build-arg BUILDPLATFORM="linux/$HOST_ARCH" \
  --build-arg MAVEN_IMAGE="$HOST_JDK" \
  --build-arg JDK_IMAGE="$JDK" \
  --build-arg BASE_IMAGE="$BASE" \
  --ignorefile "$REPO/docker/Dockerfile.dockerignore" \
  -f "$REPO/docker/Dockerfile" -t "$TAG" "$REPO"
"${PODMAN[@]}" image inspect --format '{{.Id}} {{.Size}}' "$TAG" >&2
