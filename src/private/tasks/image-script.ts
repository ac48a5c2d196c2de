import { Platform } from '../../platform';
import { ResolvedGate, ResolvedRemoteBuilder } from '../config/resolved';

/** One image the script builds. */
export interface ScriptImage {
  readonly slug: string;
  readonly imageName: string;
  /** The runtime stage (build target). */
  readonly stage: string;
  /** The Cargo package whose version labels the image. */
  readonly package: string;
  /**
   * The registry repository CI pushes the image to (a sh word that may read
   * `GITHUB_REPOSITORY`), which `PUSH=1` pushes to; without CI, the image name.
   */
  readonly pushRepository: string;
  /** With CI's registry cache: the tags of this image's cache in `pushRepository`, which build and build-all read. */
  readonly ciCacheTags?: readonly string[];
}

/** Everything the local-build script of an image (set) needs. */
export interface ImageScriptInput {
  /** The script's file name, for messages. */
  readonly name: string;
  /** The build context, relative to the script's folder. */
  readonly toContext: string;
  /** The Dockerfile, relative to the build context. */
  readonly dockerfile: string;
  /** The Cargo root manifest, relative to the build context. */
  readonly manifest: string;
  readonly platforms: readonly Platform[];
  /** Each platform's Docker architecture and Rust target, when one compile builds all targets (`RUST_TARGETS` narrows it). */
  readonly hostTargets?: ReadonlyArray<{ platform: Platform; dockerArch: string; target: string }>;
  /** Each platform's Docker architecture, for the host check. */
  readonly dockerArchs: ReadonlyArray<{ platform: Platform; dockerArch: string }>;
  readonly images: readonly ScriptImage[];
  /** The published builder image (`repo:tag`), used when it exists. */
  readonly builderRef?: string;
  readonly builderStage: string;
  readonly versionArg: string;
  readonly targetsArg: string;
  /** The bake file (relative to the context) and its targets (named by image slug), for image sets. */
  readonly bake?: { readonly file: string; readonly targets: readonly string[] };
  /** Where archives and exported binaries go, relative to the context. */
  readonly outDir: string;
  /** The vulnerability gate, when on. */
  readonly gate?: ResolvedGate & { readonly binariesStage: string };
  /** Private git dependencies: the BuildKit secret id, the environment variable with the token, and the origins it reads. */
  readonly gitToken?: { readonly id: string; readonly env: string; readonly origins: readonly string[] };
  /** CI's remote builder, which `BUILDER=remote` uses for build-all and audit. */
  readonly remoteBuilder?: ResolvedRemoteBuilder;
}

/** The TLS certificate files of a local build on the remote builder: environment variable, driver option, what it holds. */
const TLS_FILES = [
  ['BUILDKIT_TLS_CACERT', 'cacert', 'the CA certificate that signed the daemon certificate'],
  ['BUILDKIT_TLS_CERT', 'cert', 'the client certificate'],
  ['BUILDKIT_TLS_KEY', 'key', 'the client key'],
] as const;

/** The buildx flag that passes the git token as a secret, or none. */
function secretFlag(input: ImageScriptInput): string | undefined {
  return input.gitToken ? `--secret ${q(`id=${input.gitToken.id},env=${input.gitToken.env}`)}` : undefined;
}

/** Single-quotes a word for sh (the values are validated: no quotes or line breaks). */
function q(word: string): string {
  return `'${word}'`;
}

function header(input: ImageScriptInput, marker: string | undefined): string[] {
  const first = input.images[0];
  return [
    '#!/bin/sh',
    ...(marker ? [`# ${marker}`] : []),
    `# Local builds of ${input.images.map((i) => i.imageName).join(', ')}, run by the docker:* tasks (npx projen docker:${first.slug}:build).`,
    '#',
    `#   sh ${input.name} build [${input.images.map((i) => i.slug).join('|')}]   the image for this machine's platform, loaded as <image>:dev`,
    `#   sh ${input.name} build-all   every platform (${input.platforms.join(', ')}) into ${input.outDir}/<image>.oci.tar;`,
    `#                  PUSH=1 pushes instead, where CI pushes, tagged $TAG (default dev): ${input.images.map((i) => `${i.pushRepository}:$TAG`).join(', ')} (docker login first)`,
    ...(input.remoteBuilder ? [
      `#   BUILDER=remote sh ${input.name} build-all   the same on CI's remote BuildKit (${input.remoteBuilder.endpoint}, driver ${input.remoteBuilder.driver})`
        + (input.remoteBuilder.tls ? ';' : ''),
      ...(input.remoteBuilder.tls ? [`#                  ${TLS_FILES.map(([v]) => v).join(', ')} name its TLS files (PEM), as the repository secrets hold them`] : []),
    ] : []),
    ...(input.gate ? [
      `#   sh ${input.name} audit       the vulnerability gate on every platform's binaries (as CI runs it before a push)`,
      `#   sh ${input.name} audit-bins DIR REPORTS   the gate on binaries already exported to DIR; JSON reports to REPORTS`,
    ] : []),
    'set -eu',
    input.toContext === '.' ? 'cd "$(dirname "$0")"' : `cd "$(dirname "$0")/${input.toContext}"`,
    '',
    'fail() {',
    `  printf '${input.name}: %s\\n' "$1" >&2`,
    '  exit 1',
    '}',
    '',
  ];
}

function checks(input: ImageScriptInput): string[] {
  return [
    `# docker with a running daemon${input.remoteBuilder ? ' (none with BUILDER=remote)' : ''}, and buildx: each missing piece is named with the way to get it.`,
    'check_docker() {',
    '  command -v docker >/dev/null 2>&1 || fail \'docker is not installed: install Docker Engine or Docker Desktop (https://docs.docker.com/get-started/get-docker/)\'',
    ...(input.remoteBuilder ? [
      '  case "${BUILDER:-}" in',
      '    \'\') docker version >/dev/null 2>&1 || fail \'the Docker daemon does not answer (docker version failed): start Docker, or point DOCKER_HOST at a running daemon\' ;;',
      '    remote) ;;',
      '    *) fail "BUILDER=$BUILDER: use BUILDER=remote (CI\'s remote BuildKit), or leave it unset for the local Docker" ;;',
      '  esac',
    ] : [
      '  docker version >/dev/null 2>&1 || fail \'the Docker daemon does not answer (docker version failed): start Docker, or point DOCKER_HOST at a running daemon\'',
    ]),
    '  docker buildx version >/dev/null 2>&1 || fail \'docker buildx is missing: install the buildx plugin (the docker-buildx-plugin package, or https://github.com/docker/buildx#installing)\'',
    ...(input.gitToken ? [
      `  [ -n "\${${input.gitToken.env}:-}" ] || fail ${q(`export ${input.gitToken.env} first: a token that reads the private git dependencies (${input.gitToken.origins.join(', ')})`)}`,
    ] : []),
    '}',
    '',
    '# The Docker host\'s architecture must be one of the image\'s platforms: a host build never switches platforms silently.',
    'host_arch() {',
    '  arch=$(docker version --format \'{{.Server.Arch}}\')',
    '  case "$arch" in',
    `    ${input.dockerArchs.map((d) => d.dockerArch).join('|')}) echo "$arch" ;;`,
    `    *) fail "the Docker host is $arch, and the images are built for ${input.platforms.join(', ')} only: use build-all, or add the host's platform to platforms" ;;`,
    '  esac',
    '}',
    '',
  ];
}

/** The push target of each image: CI's registry repository, lowercased, tagged `TAG` (default dev). */
function pushHelpers(input: ImageScriptInput): string[] {
  const needsRepository = input.images.some((i) => i.pushRepository.includes('GITHUB_REPOSITORY'));
  return [
    '# What PUSH=1 pushes to: the repository CI pushes the image to (its ci.registry), tagged $TAG (default dev).',
    'push_ref() {',
    ...(needsRepository ? [
      '  if [ -z "${GITHUB_REPOSITORY:-}" ]; then',
      '    GITHUB_REPOSITORY=$(git remote get-url origin 2>/dev/null | sed -n \'s#^.*github\\.com[:/]\\(.*\\)$#\\1#p\' | sed \'s#\\.git$##\')',
      '    [ -n "$GITHUB_REPOSITORY" ] || fail \'PUSH=1 pushes where CI does, under the GitHub repository: set GITHUB_REPOSITORY=<owner>/<repo> (origin is no GitHub remote)\'',
      '  fi',
    ] : []),
    '  case "$1" in',
    ...input.images.map((i) => `    ${i.slug}) repository="${i.pushRepository}" ;;`),
    '  esac',
    '  printf \'%s:%s\\n\' "$(printf \'%s\' "$repository" | tr \'[:upper:]\' \'[:lower:]\')" "${TAG:-dev}"',
    '}',
    '',
  ];
}

function helpers(input: ImageScriptInput): string[] {
  const lines = [
    '# The image version label, from Cargo (empty without cargo; CI takes it from the git tag).',
    'image_version() {',
    `  cargo pkgid --manifest-path ${q(input.manifest)} -p "$1" 2>/dev/null | sed 's/.*[#@]//'`,
    '}',
    '',
  ];
  if (input.hostTargets) {
    lines.push(
      '# The Rust target of a Docker architecture, so a host build compiles one target.',
      'rust_target() {',
      '  case "$1" in',
      ...input.hostTargets.map((t) => `    ${t.dockerArch}) echo ${q(t.target)} ;;`),
      '  esac',
      '}',
      '',
    );
  }
  lines.push(...remoteBuilderHelper(input));
  if (input.builderRef) {
    lines.push(
      `# The published builder image, used when it can be read (else the Dockerfile's ${input.builderStage} stage builds the tools).`,
      'builder_published() {',
      `  if docker buildx imagetools inspect ${q(input.builderRef)} >/dev/null 2>&1; then return 0; fi`,
      `  printf '${input.name}: the builder image ${input.builderRef} cannot be read: the ${input.builderStage} stage builds the tools\\n' >&2`,
      '  return 1',
      '}',
      '',
    );
  }
  lines.push(...ciCacheHelper(input));
  return lines;
}

/**
 * With CI's registry cache: `--cache-from` flags for an image, one per line,
 * so a local build reads what CI's runners compiled. Nothing where the
 * repository is unknown; BuildKit goes on without a cache it cannot read.
 */
function ciCacheHelper(input: ImageScriptInput): string[] {
  if (!hasCiCache(input)) return [];
  const cached = input.images.filter((i) => i.ciCacheTags?.length);
  return [
    '# CI\'s registry cache, which build and build-all read (docker login first for a private one), so what a runner compiled is not',
    '# compiled here. NO_CI_CACHE=1 leaves it out.',
    'ci_cache() {',
    '  [ -z "${NO_CI_CACHE:-}" ] || return 0',
    '  ref=$(TAG=cache push_ref "$1" 2>/dev/null) || return 0',
    '  case "$1" in',
    ...cached.map((i) => `    ${i.slug}) tags=${q(i.ciCacheTags!.join(' '))} ;;`),
    '    *) return 0 ;;',
    '  esac',
    '  for tag in $tags; do printf \'type=registry,ref=%s:%s\\n\' "${ref%:cache}" "$tag"; done',
    '}',
    '',
  ];
}

/**
 * `BUILDER=remote`: CI's remote builder as a buildx builder of the script's
 * own, made again on every run (so it takes the current certificate files),
 * and asked to answer before anything builds: an unreachable endpoint and a
 * refused TLS handshake each fail with what to check.
 */
function remoteBuilderHelper(input: ImageScriptInput): string[] {
  const r = input.remoteBuilder;
  if (!r) return [];
  const name = `${input.images[0].slug}-remote`;
  const lines = [
    `# BUILDER=remote: CI's remote BuildKit (${r.endpoint}), as the buildx builder ${name}, made again on every run; it must answer first.`,
  ];
  if (r.tls) {
    lines.push(
      '# buildx wants absolute paths for the certificate files.',
      'abs_path() {',
      '  printf \'%s/%s\\n\' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")"',
      '}',
      '',
    );
  }
  const address = r.endpoint.startsWith('tcp://') ? r.endpoint.slice('tcp://'.length) : undefined;
  if (address) lines.push(...tlsProbe(r, address));
  lines.push('remote_builder() {');
  if (r.tls) {
    for (const [variable, , what] of TLS_FILES) {
      lines.push(
        `  [ -n "\${${variable}:-}" ] || fail ${q(`${variable} is not set: BUILDER=remote reaches ${r.endpoint} with mutual TLS; set it to the PEM file of ${what}`)}`,
        `  [ -r "$${variable}" ] || fail "${variable}=$${variable}: no readable file there"`,
      );
    }
    const opts = TLS_FILES.map(([variable, opt]) => `${opt}=$(abs_path "$${variable}")`).join(',');
    lines.push(`  opts="${opts}${r.tls.serverName ? `,servername=${r.tls.serverName}` : ''}"`);
  }
  if (address) lines.push('  probe_remote');
  lines.push(
    `  docker buildx rm ${q(name)} >/dev/null 2>&1 || true`,
    `  docker buildx create --name ${q(name)} --driver ${q(r.driver)}${r.tls ? ' --driver-opt "$opts"' : ''} ${q(r.endpoint)} >/dev/null || fail ${q(`docker buildx create failed for ${r.endpoint}`)}`,
    `  if ! out=$(docker buildx inspect --bootstrap ${q(name)} 2>&1); then`,
    '    why=$(printf \'%s\\n\' "$out" | tail -n 1)',
    '    case "$out" in',
    ...(r.tls ? [
      `      *x509*|*certificate*|*tls:*|*handshake*) fail "${r.endpoint} refused the TLS handshake: check ${TLS_FILES.map(([v]) => v).join(', ')} against the daemon's certificates ($why)" ;;`,
    ] : []),
    `      *) fail "${r.endpoint} did not answer: $why" ;;`,
    '    esac',
    '  fi',
    `  printf '%s\\n' ${q(name)}`,
    '}',
    '',
  );
  return lines;
}

/**
 * A quick look at a `tcp://` builder with openssl, where there is one, so the
 * three ways it fails are told apart in a second: nothing answers, the
 * daemon's certificate is not the CA's, the daemon refuses the client's
 * (buildx alone waits, then says only "context deadline exceeded"). TLS 1.2,
 * so a refused client certificate shows in the handshake.
 */
function tlsProbe(r: NonNullable<ImageScriptInput['remoteBuilder']>, address: string): string[] {
  const host = address.replace(/:\d+$/, '');
  const tlsArgs = r.tls
    ? ` -servername ${q(r.tls.serverName ?? host)} -CAfile "$BUILDKIT_TLS_CACERT" -cert "$BUILDKIT_TLS_CERT" -key "$BUILDKIT_TLS_KEY" -verify_return_error -tls1_2`
    : '';
  return [
    '# What openssl sees at the endpoint, where there is an openssl: it names the failure buildx would only time out on.',
    'probe_remote() {',
    '  command -v openssl >/dev/null 2>&1 || return 0',
    `  seen=$(openssl s_client -connect ${q(address)}${tlsArgs} </dev/null 2>&1) || true`,
    '  case "$seen" in',
    `    *refused*|*errno=*|*"No route"*|*"not known"*|*"timed out"*) fail ${q(`nothing answers at ${address} (${r.endpoint}): start buildkitd there, or check the address and the network`)} ;;`,
    ...(r.tls ? [
      `    *"certificate verify failed"*|*"verify error"*) fail ${q(`the daemon at ${address} has a certificate that BUILDKIT_TLS_CACERT does not sign, or that does not name ${r.tls.serverName ?? host}: check the CA file, or set ci.remoteBuilder.tls.serverName`)} ;;`,
      `    *"alert unknown ca"*|*"alert bad certificate"*|*"certificate required"*) fail ${q(`the daemon at ${address} refused the client certificate of BUILDKIT_TLS_CERT: it must be signed by the CA the daemon trusts (its --tlscacert)`)} ;;`,
    ] : []),
    '  esac',
    '}',
    '',
  ];
}

/** The `build` command: the host platform's image, one target compiled. */
function buildCommand(input: ImageScriptInput): string[] {
  const arms = input.images.map((i) => `    ${i.slug}) stage=${q(i.stage)} tag=${q(`${i.imageName}:dev`)} package=${q(i.package)} ;;`);
  return [
    'build() {',
    ...(input.remoteBuilder ? [
      '  [ "${BUILDER:-}" != remote ] || fail \'BUILDER=remote builds every platform with build-all (into an archive, or PUSH=1): build loads the image into the local Docker\'',
    ] : []),
    '  check_docker',
    input.hostTargets ? '  arch=$(host_arch)' : '  host_arch >/dev/null',
    `  case "\${1:-${input.images[0].slug}}" in`,
    ...arms,
    `    *) fail "unknown image \${1:-}: use one of ${input.images.map((i) => i.slug).join(', ')}" ;;`,
    '  esac',
    ...(hasCiCache(input) ? [`  image=\${1:-${input.images[0].slug}}`] : []),
    `  set -- --load --target "$stage" -f ${q(input.dockerfile)} -t "$tag" --build-arg "${input.versionArg}=$(image_version "$package")"`,
    ...(input.hostTargets ? [`  set -- "$@" --build-arg "${input.targetsArg}=$(rust_target "$arch")"`] : []),
    ...(secretFlag(input) ? [`  set -- "$@" ${secretFlag(input)}`] : []),
    ...(input.builderRef ? [`  if builder_published; then set -- "$@" --build-context ${q(`${input.builderStage}=docker-image://${input.builderRef}`)}; fi`] : []),
    ...(hasCiCache(input) ? ['  for cache in $(ci_cache "$image"); do set -- "$@" --cache-from "$cache"; done'] : []),
    '  docker buildx build "$@" .',
    '}',
    '',
  ];
}

function hasCiCache(input: ImageScriptInput): boolean {
  return input.images.some((i) => i.ciCacheTags?.length);
}

/** With a remote builder: `--builder` when BUILDER=remote, first in the positional parameters. */
function remoteBuilderFlag(input: ImageScriptInput): string[] {
  if (!input.remoteBuilder) return [];
  return [
    '  set --',
    '  if [ "${BUILDER:-}" = remote ]; then',
    '    builder=$(remote_builder)',
    '    set -- --builder "$builder"',
    '  fi',
  ];
}

/** The `build-all` command: every platform, into OCI archives or pushed. */
function buildAllCommand(input: ImageScriptInput): string[] {
  const first = input.images[0];
  const version = `"$(image_version ${q(first.package)})"`;
  const lines = ['build_all() {', '  check_docker', ...remoteBuilderFlag(input)];
  const more = input.remoteBuilder ? '"$@" ' : '';
  if (input.bake) {
    lines.push(
      `  set -- ${more}-f ${q(input.bake.file)} --set "*.args.${input.versionArg}=${version.slice(1, -1)}"`,
      '  if [ -n "${PUSH:-}" ]; then',
      // An assignment of its own, so that a failing push_ref stops the script (set -e).
      ...input.bake.targets.flatMap((t) => [`    ref=$(push_ref ${t})`, `    set -- "$@" --set "${t}.tags=$ref"`]),
      '    set -- "$@" --push',
      '  else',
      `    mkdir -p ${q(input.outDir)}`,
      ...input.bake.targets.map((t) => `    set -- "$@" --set ${q(`${t}.output=type=oci,dest=${input.outDir}/${t}.oci.tar`)}`),
      '  fi',
      ...(input.builderRef ? [
        '  if builder_published; then',
        ...input.bake.targets.map((t) => `    set -- "$@" --set ${q(`${t}.contexts.${input.builderStage}=docker-image://${input.builderRef}`)}`),
        '  fi',
      ] : []),
      ...(hasCiCache(input) ? input.bake.targets.map((t) => `  for cache in $(ci_cache ${t}); do set -- "$@" --set "${t}.cache-from=$cache"; done`) : []),
      '  docker buildx bake "$@"',
    );
  } else {
    lines.push(
      `  set -- ${more}--platform ${q(input.platforms.join(','))} --target ${q(first.stage)} -f ${q(input.dockerfile)} --build-arg "${input.versionArg}=${version.slice(1, -1)}"`,
      '  if [ -n "${PUSH:-}" ]; then',
      `    ref=$(push_ref ${first.slug})`,
      '    set -- "$@" -t "$ref" --push',
      '  else',
      `    mkdir -p ${q(input.outDir)}`,
      `    set -- "$@" -t ${q(`${first.imageName}:dev`)} --output ${q(`type=oci,dest=${input.outDir}/${first.slug}.oci.tar`)}`,
      '  fi',
      ...(secretFlag(input) ? [`  set -- "$@" ${secretFlag(input)}`] : []),
      ...(input.builderRef ? [`  if builder_published; then set -- "$@" --build-context ${q(`${input.builderStage}=docker-image://${input.builderRef}`)}; fi`] : []),
      ...(hasCiCache(input) ? [`  for cache in $(ci_cache ${first.slug}); do set -- "$@" --cache-from "$cache"; done`] : []),
      '  docker buildx build "$@" .',
    );
  }
  lines.push('}', '');
  return lines;
}

/** The audit policy file cargo audit reads from `.cargo/audit.toml` in its working directory. */
function policyLines(gate: ResolvedGate): string[] {
  return [
    '[advisories]',
    ...(gate.ignore.length ? ['ignore = [', ...gate.ignore.map((a) => `  "${a.id}", # ${a.reason}`), ']'] : ['ignore = []']),
    ...(gate.failOn ? [`severity_threshold = "${gate.failOn}"`] : []),
  ];
}

/** The `audit` and `audit-bins` commands: the vulnerability gate. */
function auditCommands(input: ImageScriptInput): string[] {
  const gate = input.gate!;
  const policy = gate.failOn ? `advisories below ${gate.failOn} pass` : 'every vulnerability fails';
  return [
    `# The vulnerability gate (${policy}${gate.ignore.length ? `; ${gate.ignore.length} advisory ignored with its reason` : ''}): cargo audit bin on`,
    '# every binary under $1, reading the dependency list cargo-auditable embedded; JSON reports go to $2.',
    '# AUDIT_DB=<folder> uses a local RustSec advisory database and fetches nothing.',
    'audit_bins() {',
    '  if [ -z "$1" ] || [ -z "$2" ]; then fail \'usage: audit-bins DIR REPORTS\'; fi',
    // The arguments are named: the positional parameters hold cargo audit's options below.
    '  dir=$1 out=$2',
    '  [ -d "$dir" ] || fail "no binaries folder at $dir"',
    '  bins=$(cd "$dir" && pwd)',
    '  mkdir -p "$out"',
    '  reports=$(cd "$out" && pwd)',
    '  command -v cargo-audit >/dev/null 2>&1 || fail \'cargo-audit is not installed: cargo install cargo-audit --locked\'',
    '  policy=$(mktemp -d)',
    '  mkdir -p "$policy/.cargo"',
    '  cat > "$policy/.cargo/audit.toml" <<\'POLICY\'',
    ...policyLines(gate),
    'POLICY',
    '  set --',
    '  if [ -n "${AUDIT_DB:-}" ]; then set -- --db "$AUDIT_DB" --no-fetch; fi',
    '  find "$bins" -type f | sort > "$policy/binaries"',
    '  count=0 failed=0',
    '  while IFS= read -r bin; do',
    '    count=$((count + 1))',
    '    report="$reports/$(printf \'%s\' "${bin#"$bins"/}" | tr \'/\' \'_\').json"',
    '    printf \'== %s\\n\' "${bin#"$bins"/}"',
    '    (cd "$policy" && cargo audit "$@" bin "$bin") || failed=$((failed + 1))',
    '    (cd "$policy" && cargo audit --db "${AUDIT_DB:-$HOME/.cargo/advisory-db}" --no-fetch --json bin "$bin" > "$report") || true',
    '  done < "$policy/binaries"',
    '  rm -rf "$policy"',
    '  [ "$count" -gt 0 ] || fail "no binaries under $dir"',
    '  [ "$failed" -eq 0 ] || fail "the vulnerability gate failed for $failed of $count binaries (reports in $out); fix the dependency, or add the advisory to vulnerabilityGate.ignore with its reason"',
    '  printf \'%s: the vulnerability gate passed for %s binaries\\n\' ' + q(input.name) + ' "$count"',
    '}',
    '',
    'audit() {',
    '  check_docker',
    ...remoteBuilderFlag(input),
    `  rm -rf ${q(`${input.outDir}/binaries`)}`,
    `  docker buildx build ${input.remoteBuilder ? '"$@" ' : ''}--platform ${q(input.platforms.join(','))} --target ${q(gate.binariesStage)} -f ${q(input.dockerfile)}${secretFlag(input) ? ` ${secretFlag(input)}` : ''} `
      + `--output ${q(`type=local,dest=${input.outDir}/binaries`)} .`,
    `  audit_bins ${q(`${input.outDir}/binaries`)} ${q(`${input.outDir}/audit`)}`,
    '}',
    '',
  ];
}

function dispatch(input: ImageScriptInput): string[] {
  const commands = ['build', 'build-all', ...(input.gate ? ['audit', 'audit-bins'] : [])];
  return [
    'command=${1:-}',
    '[ $# -gt 0 ] && shift',
    'case "$command" in',
    '  build) build "$@" ;;',
    '  build-all) build_all ;;',
    ...(input.gate ? ['  audit) audit ;;', '  audit-bins) audit_bins "${1:-}" "${2:-}" ;;'] : []),
    `  *) fail "unknown command '$command': use one of ${commands.join(', ')}" ;;`,
    'esac',
  ];
}

/**
 * The POSIX sh script behind an image's local tasks: build for the host,
 * build every platform, and the vulnerability gate. A generated file the
 * user can read and run, checked by shellcheck in the test suite.
 *
 * @param marker projen's "generated" marker, put in a comment
 */
export function renderImageScript(input: ImageScriptInput, marker?: string): string {
  return [
    ...header(input, marker),
    ...checks(input),
    ...helpers(input),
    ...pushHelpers(input),
    ...buildCommand(input),
    ...buildAllCommand(input),
    ...(input.gate ? auditCommands(input) : []),
    ...dispatch(input),
    '',
  ].join('\n');
}
