/**
 * The projenrc a new project starts with: every choice made when the
 * project was created (what Cargo says it ships, what was done with the
 * repository's own Docker and git files) written out as options, so that
 * later runs of `npx projen` give the same files, and an edit is applied.
 */
export interface ProjenrcChoices {
  readonly name: string;
  readonly devDeps?: string[];
  readonly cratePath?: string;
  /** One binary (written as `binary`), or several (`binaries`). */
  readonly binaries: string[];
  /** What Cargo offered, for the comment: "api (package api-server)". */
  readonly found: string[];
  /** The repository's own Docker files, when it has any, and where the generated ones go. */
  readonly dockerFiles?: { readonly existing: string[]; readonly keep: boolean; readonly generated: string[] };
  /** The patterns of the repository's own .gitignore. */
  readonly gitignore: string[];
  readonly python: boolean;
}

const DOCS = 'https://github.com/projen-rust-docker/projen-rust-docker/blob/main/API.md';

/** One option as [comment lines, key, value] in the language's own spelling. */
type Entry = [string[], string, string];

function entries(
  c: ProjenrcChoices, list: (values: string[]) => string, enumRef: (member: string) => string, key: (camel: string) => string,
): Entry[] {
  const out: Entry[] = [[[], key('name'), JSON.stringify(c.name)]];
  if (c.python) out.push([[], key('projenrcPython'), 'True']);
  if (c.devDeps?.length) out.push([[], key('devDeps'), list(c.devDeps)]);
  if (c.cratePath && c.cratePath !== '.') out.push([['The Cargo workspace root.'], key('cratePath'), JSON.stringify(c.cratePath)]);
  const found = c.found.length ? [`Cargo's binaries: ${c.found.join(', ')}.`] : [];
  if (c.binaries.length === 1) out.push([found, key('binary'), JSON.stringify(c.binaries[0])]);
  else out.push([[...found, 'One image each: remove the ones you do not ship.'], key('binaries'), list(c.binaries)]);
  if (c.dockerFiles) {
    const d = c.dockerFiles;
    const comment = d.keep
      ? [`The repository's own ${d.existing.join(' and ')} stay as they are; the generated ones are ${d.generated.join(' and ')}.`, `${enumRef('ADOPT')} replaces them instead.`]
      : [`The generated files replace the repository's own ${d.existing.join(' and ')} (an adopted .dockerignore keeps its patterns).`];
    out.push([comment, key('existingDockerFiles'), enumRef(d.keep ? 'KEEP' : 'ADOPT')]);
  }
  if (c.gitignore.length) out.push([["The entries of the repository's own .gitignore, kept now that projen writes it."], key('gitignore'), list(c.gitignore)]);
  return out;
}

/** `.projenrc.ts`. */
export function projenrcTs(c: ProjenrcChoices): string {
  const body = entries(c, (v) => `[${v.map((x) => JSON.stringify(x)).join(', ')}]`, (m) => `ExistingDockerFiles.${m}`, (k) => k)
    .flatMap(([comment, k, v]) => [...comment.map((l) => `  // ${l}`), `  ${k}: ${v},`]);
  const imports = c.dockerFiles ? 'ExistingDockerFiles, RustDockerProject' : 'RustDockerProject';
  return [
    '// The projen configuration of this repository\'s container images. Edit it and run',
    `// \`npx projen\` to apply the change. Every option, with its default: ${DOCS}`,
    `import { ${imports} } from 'projen-rust-docker';`,
    '',
    'const project = new RustDockerProject({',
    ...body,
    '});',
    '',
    'project.synth();',
    '',
  ].join('\n');
}

function snake(camel: string): string {
  return camel.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
}

/** `.projenrc.py`. */
export function projenrcPy(c: ProjenrcChoices): string {
  const body = entries(c, (v) => `[${v.map((x) => JSON.stringify(x)).join(', ')}]`, (m) => `ExistingDockerFiles.${m}`, snake)
    .flatMap(([comment, k, v]) => [...comment.map((l) => `    # ${l}`), `    ${k}=${v},`]);
  const imports = c.dockerFiles ? 'ExistingDockerFiles, RustDockerProject' : 'RustDockerProject';
  return [
    '# The projen configuration of this repository\'s container images. Edit it and run',
    `# \`npx projen\` to apply the change. Every option, with its default: ${DOCS}`,
    `from projen_rust_docker import ${imports}`,
    '',
    'project = RustDockerProject(',
    ...body,
    ')',
    '',
    'project.synth()',
    '',
  ].join('\n');
}
