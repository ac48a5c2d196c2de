#!/usr/bin/env bash
# Writes an OCI image layout from root filesystem folders, without a registry
# or a Docker engine: one uncompressed layer per platform, an image config with
# the given environment, and an index with one manifest per platform.
#
#   oci-layout.sh ROOTFS OUT_DIR PLATFORMS [ENV...]
#     PLATFORMS  comma-separated, e.g. linux/amd64,linux/arm64; an entry may name its
#                own root filesystem as PLATFORM=DIR, else it gets ROOTFS
#     ENV        KEY=VALUE entries for the image config
# Prints the index digest (sha256:...).
set -euo pipefail
rootfs=$1 out=$2 platforms=$3
shift 3

rm -rf "$out" && mkdir -p "$out/blobs/sha256"
blob() { # file -> moves it into blobs, prints sha256:<hex>
  local sum
  sum=$(sha256sum "$1" | cut -d' ' -f1)
  mv "$1" "$out/blobs/sha256/$sum"
  printf 'sha256:%s' "$sum"
}
size() { stat -c %s "$out/blobs/sha256/${1#sha256:}"; }

layer_of() { # dir -> digest of its layer
  tar --sort=name --mtime='2000-01-01 00:00:00' --numeric-owner -C "$1" -cf "$out/layer.tar" .
  blob "$out/layer.tar"
}

env_json=$(printf '%s\n' "$@" | jq -R . | jq -s 'map(select(length > 0))')
manifests='[]'
IFS=',' read -ra plats <<< "$platforms"
for entry in "${plats[@]}"; do
  p=${entry%%=*} dir=$rootfs
  [ "$entry" != "$p" ] && dir=${entry#*=}
  layer=$(layer_of "$dir")
  os=${p%%/*} rest=${p#*/}
  arch=${rest%%/*} variant=""
  [ "$rest" != "$arch" ] && variant=${rest#*/}
  jq -n --arg os "$os" --arg arch "$arch" --arg variant "$variant" --arg layer "$layer" --argjson env "$env_json" '{
    architecture: $arch, os: $os, variant: (if $variant == "" then null else $variant end),
    config: { Env: $env },
    rootfs: { type: "layers", diff_ids: [$layer] },
    created: "2000-01-01T00:00:00Z"
  } | del(.. | nulls)' > "$out/config.json"
  config=$(blob "$out/config.json")
  jq -n --arg config "$config" --argjson csize "$(size "$config")" --arg layer "$layer" --argjson lsize "$(size "$layer")" '{
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: $config, size: $csize },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $layer, size: $lsize }]
  }' > "$out/manifest.json"
  manifest=$(blob "$out/manifest.json")
  manifests=$(jq --arg d "$manifest" --argjson s "$(size "$manifest")" --arg os "$os" --arg arch "$arch" --arg variant "$variant" \
    '. + [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
            platform: ({ os: $os, architecture: $arch } + (if $variant == "" then {} else { variant: $variant } end)) }]' <<< "$manifests")
done
jq -n --argjson m "$manifests" '{ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: $m }' > "$out/image-index.json"
index=$(blob "$out/image-index.json")
echo '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
jq -n --arg d "$index" --argjson s "$(size "$index")" \
  '{ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s }] }' > "$out/index.json"
printf '%s\n' "$index"
