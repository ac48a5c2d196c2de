/** What shapes the `.dockerignore` of an image. */
export interface DockerignoreInput {
  /** Workspace member folders relative to the build context, whose own `target/` is excluded too. */
  readonly memberDirs: string[];
  /** Keep `.git` in the context (build scripts that embed git metadata). */
  readonly includeGit: boolean;
  /** The user's own patterns (`dockerignore.extraPatterns`). */
  readonly extra: string[];
  /** Patterns kept from an adopted hand-written `.dockerignore`. */
  readonly kept: string[];
}

/** The heading above the patterns kept from an adopted `.dockerignore`. */
export const KEPT_HEADING = '# Patterns kept from the adopted .dockerignore (move them into dockerignore.extraPatterns)';

/**
 * The `.dockerignore` patterns for a Rust build context. They keep build
 * outputs, VCS data, editor files, secrets and the generated Docker files out
 * of the context, so a `target/` full of artifacts neither slows the upload
 * nor changes the planner's input. They never exclude what the build needs:
 * manifests, Cargo.lock, member folders, `.cargo/config.toml`,
 * `rust-toolchain(.toml)`.
 */
export function dockerignorePatterns(input: DockerignoreInput): string[] {
  const memberTargets = input.memberDirs.filter((d) => d !== '.').map((d) => `${d}/target`);
  return [
    '# Cargo build outputs',
    'target',
    ...memberTargets,
    '**/*.rs.bk',
    ...(input.includeGit
      ? ['# CI metadata (.git stays: a build script embeds git metadata)', '.github']
      : ['# Version control and CI metadata', '.git', '.github']),
    '# Node.js and projen (projen repositories have both)',
    'node_modules',
    '**/node_modules',
    '.projen',
    '# Docker files and the stored dependency graph: editing them must not change the build input',
    '**/Dockerfile',
    '**/*.Dockerfile',
    '**/*.dockerignore',
    '**/docker-bake.json',
    '**/*.docker-bake.json',
    '**/*.crate-graph.json',
    '.dockerignore',
    '# Secrets and local environment',
    '.env',
    '.env.*',
    '# Editors and OS files',
    '.idea',
    '.vscode',
    '**/.DS_Store',
    '*.log',
    ...(input.extra.length ? ['# Project patterns', ...input.extra] : []),
    ...(input.kept.length ? [KEPT_HEADING, ...input.kept] : []),
  ];
}

/**
 * The patterns of an existing `.dockerignore` to keep when it is adopted:
 * every pattern of a hand-written file, or the kept section of one this
 * generator wrote before (so adoption survives the next synthesis).
 */
export function patternsToKeep(text: string, generatedBefore: boolean): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const from = generatedBefore ? lines.indexOf(KEPT_HEADING) : -1;
  if (generatedBefore && from < 0) return [];
  return lines.slice(from + 1).filter((l) => l !== '' && !l.startsWith('#'));
}
