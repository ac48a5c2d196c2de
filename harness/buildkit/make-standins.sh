#!/usr/bin/env bash
# Builds the base-image stand-ins for the real-build tests as OCI layouts.
# No image registry is reachable here, so the base images the generated
# Dockerfiles name are stood in through BuildKit named contexts:
#
#   rust:<version>-alpine<release>   -> Debian bookworm (debootstrap minbase, with gcc as the official
#                                       image has), Rust <version> installed by rustup at /usr/local/rustup
#                                       and /usr/local/cargo as in the official image, the host's CA bundle
#                                       (the registries sit behind a TLS-intercepting proxy), an apk shim
#                                       that maps Alpine package names to Debian packages, and zig releases
#                                       from PyPI's ziglang wheels for the shim's zig~X.Y. Platform: the
#                                       build platform only (linux/amd64), as FROM --platform=$BUILDPLATFORM asks.
#   distroless static (runtime)      -> a minimal root filesystem: /etc/passwd and /etc/group with root and
#                                       nonroot (65532), /tmp, the CA bundle; no shell, no libc. Indexed for
#                                       linux/amd64 and linux/arm64.
#   distroless cc (glibc runtime)   -> the same, plus Debian bookworm's libc6 and libgcc-s1 of each
#                                       architecture (glibc 2.36; distroless cc-debian13 has 2.41): an
#                                       index with a different layer per platform. Its arm64 tree also
#                                       serves as the sysroot that runs arm64 glibc binaries under qemu.
#
#   make-standins.sh OUT_DIR RUST_VERSION ZIG_VERSIONS
#     ZIG_VERSIONS  space-separated ziglang versions to stage, e.g. "0.15.2 0.16.0"
# Writes OUT_DIR/{builder,runtime,runtime-glibc}/ (OCI layouts) and their .digest files,
# and OUT_DIR/sysroot-<arch>/ (the glibc runtime trees).
# Reuses OUT_DIR when its inputs are unchanged.
set -euo pipefail
out=$1 rust=$2 zigs=$3
here=$(cd "$(dirname "$0")" && pwd)
key=$(printf '%s|%s|%s|' "$rust" "$zigs" "$(cat "$here/apk-shim.sh" "$here/oci-layout.sh" "$0" | sha256sum)" | sha256sum | cut -c1-16)
if [ -f "$out/key" ] && [ "$(cat "$out/key")" = "$key" ]; then exit 0; fi
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "stand-in: debootstrap bookworm (minbase + gcc)" >&2
debootstrap --variant=minbase --include=gcc,libc6-dev,ca-certificates bookworm "$work/builder" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
rm -rf "$work/builder/var/cache/apt/archives/"*.deb "$work/builder/var/lib/apt/lists/"*

echo "stand-in: Rust $rust (rustup, minimal profile)" >&2
export RUSTUP_HOME="$work/builder/usr/local/rustup" CARGO_HOME="$work/builder/usr/local/cargo"
mkdir -p "$CARGO_HOME/bin"
cp "$(command -v rustup)" "$CARGO_HOME/bin/rustup"
for proxy in cargo rustc rustdoc rust-gdb rust-lldb rustfmt cargo-fmt cargo-clippy clippy-driver; do ln -sf rustup "$CARGO_HOME/bin/$proxy"; done
"$CARGO_HOME/bin/rustup" toolchain install "$rust" --profile minimal >/dev/null 2>&1
"$CARGO_HOME/bin/rustup" default "$rust" >/dev/null
unset RUSTUP_HOME CARGO_HOME

cp /etc/ssl/certs/ca-certificates.crt "$work/builder/etc/ssl/certs/ca-certificates.crt"
install -m 0755 "$here/apk-shim.sh" "$work/builder/sbin/apk"
for z in $zigs; do
  echo "stand-in: zig $z (PyPI ziglang)" >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux_2_12_x86_64 -d "$work/wheels" "ziglang==$z"
  mkdir -p "$work/builder/opt/zig/$z"
  python3 -m zipfile -e "$work/wheels/"ziglang-"$z"*.whl "$work/unzip-$z"
  cp -r "$work/unzip-$z/ziglang/." "$work/builder/opt/zig/$z/"
  chmod +x "$work/builder/opt/zig/$z/zig"
done

builder_env=(
  "PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  "RUSTUP_HOME=/usr/local/rustup" "CARGO_HOME=/usr/local/cargo" "RUST_VERSION=$rust"
)
"$here/oci-layout.sh" "$work/builder" "$out/builder" linux/amd64 "${builder_env[@]}" > "$out/builder.digest"

echo "stand-in: distroless static runtime" >&2
rt="$work/runtime"
mkdir -p "$rt/etc/ssl/certs" "$rt/tmp" "$rt/home/nonroot" "$rt/root"
chmod 1777 "$rt/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$rt/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > "$rt/etc/group"
cp /etc/ssl/certs/ca-certificates.crt "$rt/etc/ssl/certs/ca-certificates.crt"
"$here/oci-layout.sh" "$rt" "$out/runtime" linux/amd64,linux/arm64 "PATH=/usr/local/bin:/usr/bin:/bin" "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" > "$out/runtime.digest"

echo "stand-in: distroless cc (glibc) runtime, per architecture" >&2
for arch in amd64 arm64; do
  sys="$out/sysroot-$arch"
  rm -rf "$sys" && cp -a "$rt" "$sys"
  (cd "$work" && apt-get download -qq "libc6:$arch" "libgcc-s1:$arch" >/dev/null)
  for deb in "$work"/libc6_*_"$arch".deb "$work"/libgcc-s1_*_"$arch".deb; do dpkg-deb -x "$deb" "$sys"; done
done
"$here/oci-layout.sh" - "$out/runtime-glibc" "linux/amd64=$out/sysroot-amd64,linux/arm64=$out/sysroot-arm64" \
  "PATH=/usr/local/bin:/usr/bin:/bin" "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" > "$out/runtime-glibc.digest"

echo "$key" > "$out/key"
