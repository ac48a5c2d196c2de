#!/usr/bin/env bash
# Builds the arm64 stand-in of the builder base for the emulated benchmarks
# (scripts/bench-arm64-builder.ts), as OCI layouts:
#
#   rust:<version>-alpine<release>, linux/arm64
#       -> Debian bookworm arm64 (debootstrap --foreign minbase with gcc, libc6-dev and ca-certificates,
#          second stage run in a chroot under qemu-aarch64 through binfmt_misc), Rust <version> for
#          aarch64-unknown-linux-gnu at /usr/local/rustup and /usr/local/cargo as in the official image,
#          with the aarch64 rustup binary itself (so nothing in it runs natively on this amd64 host),
#          the host's CA bundle (the registries sit behind a TLS-intercepting proxy), the apk shim, and
#          zig releases for aarch64 from PyPI's ziglang wheels under /opt/zig/<version>.
#       The same root filesystem also stands in for the naive baseline's rust:<version> (Debian-based).
#   builder-multi: one index with the amd64 builder stand-in of make-standins.sh (linux/amd64) and the
#       arm64 one (linux/arm64), for builds that need the base on both platforms (the builder image
#       built for linux/arm64 on an amd64 daemon: its cross stages take linux/amd64, its final stage
#       linux/arm64).
#
#   make-arm64-standins.sh OUT_DIR RUST_VERSION ZIG_VERSIONS AMD64_BUILDER_LAYOUT
# Needs root, debootstrap, and qemu-aarch64 registered with binfmt_misc (flag F) by the caller
# (harness/arm64.ts registers it and unregisters it afterwards).
# Writes OUT_DIR/{builder-arm64,builder-multi}/ (OCI layouts) and their .digest files.
# Reuses OUT_DIR when its inputs are unchanged.
set -euo pipefail
out=$1 rust=$2 zigs=$3 amd64=$4
here=$(cd "$(dirname "$0")" && pwd)
key=$(printf '%s|%s|%s|%s|' "$rust" "$zigs" "$(cat "$amd64/index.json")" "$(cat "$here/apk-shim.sh" "$here/oci-layout.sh" "$0" | sha256sum)" | sha256sum | cut -c1-16)
if [ -f "$out/key" ] && [ "$(cat "$out/key")" = "$key" ]; then exit 0; fi
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || { echo "make-arm64-standins: qemu-aarch64 is not registered with binfmt_misc" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The root filesystem after debootstrap's second stage (minutes under QEMU) is kept until the
# layouts are written, so a failure after it does not repeat it.
root="$out/rootfs"
if [ ! -f "$out/rootfs.done" ]; then
  rm -rf "$root"
  echo "arm64 stand-in: debootstrap --foreign bookworm arm64 (minbase + gcc)" >&2
  start=$(date +%s)
  debootstrap --arch=arm64 --foreign --variant=minbase --include=gcc,libc6-dev,ca-certificates bookworm "$root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  echo "arm64 stand-in: first stage $(( $(date +%s) - start )) s; second stage under qemu-aarch64" >&2
  start=$(date +%s)
  chroot "$root" /debootstrap/debootstrap --second-stage >"$work/second-stage.log" 2>&1 \
    || { tail -20 "$work/second-stage.log" >&2; tail -20 "$root/debootstrap/debootstrap.log" >&2 2>/dev/null; exit 1; }
  echo "arm64 stand-in: second stage $(( $(date +%s) - start )) s" >&2
  rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
  printf 'deb http://deb.debian.org/debian bookworm main\n' > "$root/etc/apt/sources.list"
  touch "$out/rootfs.done"
fi
rm -rf "$root/usr/local/rustup" "$root/usr/local/cargo" "$root/opt/zig"

echo "arm64 stand-in: Rust $rust for aarch64-unknown-linux-gnu" >&2
toolchain="$rust-aarch64-unknown-linux-gnu"
unset RUSTUP_TOOLCHAIN
export RUSTUP_HOME="$root/usr/local/rustup" CARGO_HOME="$root/usr/local/cargo"
mkdir -p "$CARGO_HOME/bin"
# The host's rustup downloads the aarch64 toolchain; the image gets the aarch64 rustup binary.
rustup toolchain install "$toolchain" --profile minimal --force-non-host --no-self-update >"$work/rustup.log" 2>&1 \
  || { tail -20 "$work/rustup.log" >&2; exit 1; }
# The first toolchain installed becomes the default; rustup default would try to run the foreign rustc.
grep -q "default_toolchain = \"$toolchain\"" "$RUSTUP_HOME/settings.toml" || { echo "make-arm64-standins: rustup default did not take $toolchain" >&2; exit 1; }
curl -fsSL --retry 3 -o "$CARGO_HOME/bin/rustup" https://static.rust-lang.org/rustup/dist/aarch64-unknown-linux-gnu/rustup-init
chmod 0755 "$CARGO_HOME/bin/rustup"
for proxy in cargo rustc rustdoc rust-gdb rust-lldb rustfmt cargo-fmt cargo-clippy clippy-driver; do ln -sf rustup "$CARGO_HOME/bin/$proxy"; done
unset RUSTUP_HOME CARGO_HOME
file -L "$root/usr/local/cargo/bin/rustup" | grep -q aarch64 || { echo "make-arm64-standins: rustup is not an aarch64 binary" >&2; exit 1; }
chroot "$root" /usr/bin/env PATH=/usr/local/cargo/bin:/usr/bin:/bin RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo cargo --version >&2

cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
mkdir -p "$root/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
install -m 0755 "$here/apk-shim.sh" "$root/sbin/apk"
for z in $zigs; do
  echo "arm64 stand-in: zig $z for aarch64 (PyPI ziglang)" >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_aarch64 -d "$work/wheels" "ziglang==$z"
  mkdir -p "$root/opt/zig/$z"
  python3 -m zipfile -e "$work/wheels/"ziglang-"$z"*aarch64*.whl "$work/unzip-$z"
  cp -r "$work/unzip-$z/ziglang/." "$root/opt/zig/$z/"
  chmod +x "$root/opt/zig/$z/zig"
  file -L "$root/opt/zig/$z/zig" | grep -q aarch64 || { echo "make-arm64-standins: zig $z is not an aarch64 binary" >&2; exit 1; }
done

builder_env=(
  "PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  "RUSTUP_HOME=/usr/local/rustup" "CARGO_HOME=/usr/local/cargo" "RUST_VERSION=$rust"
)
"$here/oci-layout.sh" "$root" "$out/builder-arm64" linux/arm64 "${builder_env[@]}" > "$out/builder-arm64.digest"
rm -rf "$root" "$out/rootfs.done"

echo "arm64 stand-in: index of the amd64 and arm64 builder stand-ins" >&2
multi="$out/builder-multi"
rm -rf "$multi"
mkdir -p "$multi/blobs/sha256"
manifests='[]'
for layout in "$amd64" "$out/builder-arm64"; do
  cp -n "$layout/blobs/sha256/"* "$multi/blobs/sha256/"
  top=$(jq -r '.manifests[0].digest' "$layout/index.json")
  manifests=$(jq -s '.[0] + .[1].manifests' <(printf '%s' "$manifests") "$layout/blobs/sha256/${top#sha256:}")
done
jq -n --argjson m "$manifests" '{ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: $m }' > "$multi/image-index.json"
sum=$(sha256sum "$multi/image-index.json" | cut -d' ' -f1)
mv "$multi/image-index.json" "$multi/blobs/sha256/$sum"
echo '{"imageLayoutVersion":"1.0.0"}' > "$multi/oci-layout"
jq -n --arg d "sha256:$sum" --argjson s "$(stat -c %s "$multi/blobs/sha256/$sum")" \
  '{ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s }] }' > "$multi/index.json"
printf 'sha256:%s\n' "$sum" > "$out/builder-multi.digest"

echo "$key" > "$out/key"
