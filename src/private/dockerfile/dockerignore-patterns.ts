/**
 * The `.dockerignore` patterns for a Rust build context. They keep build
 * outputs, VCS data, editor files, secrets and the generated Docker files out
 * of the context, so a `target/` full of artifacts neither slows the upload
 * nor changes the planner's input. They never exclude what the build needs:
 * manifests, Cargo.lock, member folders, `.cargo/config.toml`,
 * `rust-toolchain(.toml)`.
 *
 * @param memberDirs workspace member folders (relative), whose own `target/` is excluded too
 * @param extra the user's own patterns
 */
export function dockerignorePatterns(memberDirs: string[], extra: string[]): string[] {
  const memberTargets = memberDirs.filter((d) => d !== '.').map((d) => `${d}/target`);
  return [
    '# Cargo build outputs',
    'target',
    ...memberTargets,
    '**/*.rs.bk',
    '# Version control and CI metadata',
    '.git',
    '.github',
    '# Node.js and projen (projen repositories have both)',
    'node_modules',
    '**/node_modules',
    '.projen',
    '# Docker files: editing them must not change the build input',
    'Dockerfile',
    '*.Dockerfile',
    'docker-bake.json',
    '.dockerignore',
    '# Secrets and local environment',
    '.env',
    '.env.*',
    '# Editors and OS files',
    '.idea',
    '.vscode',
    '**/.DS_Store',
    '*.log',
    ...(extra.length ? ['# Project patterns', ...extra] : []),
  ];
}
