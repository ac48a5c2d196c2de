#!/bin/sh
# apk, stood in on a Debian root filesystem for the real-build tests.
# It maps the Alpine package names the generator writes to Debian packages and
# installs them with apt-get. zig is not a Debian package: the stand-in image
# carries zig releases from PyPI's ziglang wheels under /opt/zig/<version>, and
# "zig~X.Y" links the staged X.Y release. A name it does not know fails loudly,
# so a new package in the generator cannot pass unnoticed.
set -eu
[ "${1:-}" = "add" ] || { echo "apk shim: only 'apk add' is supported, got: $*" >&2; exit 2; }
shift
debs=""
for arg in "$@"; do
  case "$arg" in
    --no-cache|--quiet|-q) continue ;;
    -*) echo "apk shim: unsupported option $arg" >&2; exit 2 ;;
  esac
  case "$arg" in
    zig~*|zig=*)
      want=$(printf '%s' "$arg" | sed 's/^zig[~=]//')
      found=$(ls -d /opt/zig/"$want"* 2>/dev/null | sort -V | tail -n 1)
      [ -n "$found" ] || { echo "apk shim: no staged zig matches $arg (staged: $(ls /opt/zig 2>/dev/null | tr '\n' ' '))" >&2; exit 1; }
      ln -sf "$found/zig" /usr/local/bin/zig
      echo "apk shim: $arg -> $found"
      continue ;;
  esac
  case "$arg" in
    musl-dev) d=musl-dev ;;
    binutils) d=binutils ;;
    ca-certificates) d=ca-certificates ;;
    perl) d=perl ;;
    make) d=make ;;
    linux-headers) d=linux-libc-dev ;;
    cmake) d=cmake ;;
    go) d=golang-go ;;
    clang-dev) d="libclang-dev clang" ;;
    protoc) d=protobuf-compiler ;;
    protobuf-dev) d=libprotobuf-dev ;;
    bash) d=bash ;;
    git) d=git ;;
    pkgconf) d=pkgconf ;;
    openssl-dev) d=libssl-dev ;;
    libunwind-dev) d=libunwind-dev ;;
    llvm) d=llvm ;;
    g++) d=g++ ;;
    *) echo "apk shim: unknown Alpine package '$arg': add its Debian equivalent to test/buildkit/apk-shim.sh" >&2; exit 1 ;;
  esac
  debs="$debs $d"
done
if [ -n "$debs" ]; then
  echo "apk shim: apt-get install$debs"
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $debs >/dev/null
  rm -rf /var/lib/apt/lists/*
fi
