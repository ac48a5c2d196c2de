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
  /** The lines of the repository's own .gitignore, verbatim. */
  readonly gitignore: string[];
  /** The lines of the repository's own .gitattributes, verbatim. */
  readonly gitattributes: string[];
  readonly python: boolean;
}

const DOCS = 'https://github.com/projen-rust-docker/projen-rust-docker/blob/main/API.md';

/** A list of strings: on one line when short, else one item per line under `indent`. */
function listOf(values: string[], indent: string): string {
  const items = values.map((x) => JSON.stringify(x));
  const flat = `[${items.join(', ')}]`;
  if (flat.length <= 80) return flat;
  return `[\n${items.map((i) => `${indent}${indent}${i},`).join('\n')}\n${indent}]`;
}

/** One option as [comment lines, key, value] in the language's own spelling; an empty key is a comment alone. */
type Entry = [string[], string, string];

/**
 * What CI does with the defaults, and the two settings a new project most
 * often needs: the smoke test's arguments (none can be guessed: they must
 * make the binary exit 0 on its own) and another registry's secrets.
 */
function ciNotes(smokeOption: string, registryOption: string, imports: string): string[] {
  return [
    'CI pushes to ghcr.io/<owner>/<repo>/<image> with the workflow\'s own GITHUB_TOKEN: no secret to add.',
    `Docker Hub instead: ${registryOption} (import ${imports}),`,
    'with the repository secrets DOCKERHUB_USERNAME and DOCKERHUB_TOKEN (the README\'s registry table has the others).',
    'No smoke test runs before a push until you give arguments that make the binary exit 0 on its own, e.g.',
    smokeOption,
  ];
}

function entries(
  c: ProjenrcChoices, list: (values: string[]) => string, enumRef: (member: string) => string, key: (camel: string) => string, notes: string[],
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
  if (c.gitignore.length) out.push([["The lines of the repository's own .gitignore, kept verbatim now that projen writes it."], key('gitignore'), list(c.gitignore)]);
  if (c.gitattributes.length) {
    out.push([["The lines of the repository's own .gitattributes, kept verbatim now that projen writes it."], key('gitattributes'), list(c.gitattributes)]);
  }
  out.push([notes, '', '']);
  return out;
}

/** `.projenrc.ts`. */
export function projenrcTs(c: ProjenrcChoices): string {
  const notes = ciNotes('ci: { smokeTestArgs: ["--version"] },', 'ci: { registry: Registry.dockerHub({ repositoryPrefix: "acme" }) }', 'Registry');
  const body = entries(c, (v) => listOf(v, '  '), (m) => `ExistingDockerFiles.${m}`, (k) => k, notes)
    .flatMap(([comment, k, v]) => [...comment.map((l) => `  // ${l}`), ...(k ? [`  ${k}: ${v},`] : [])]);
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
  const notes = ciNotes('ci=CiOptions(smoke_test_args=["--version"]),', 'ci=CiOptions(registry=Registry.docker_hub(repository_prefix="acme"))', 'CiOptions, Registry');
  const body = entries(c, (v) => listOf(v, '    '), (m) => `ExistingDockerFiles.${m}`, snake, notes)
    .flatMap(([comment, k, v]) => [...comment.map((l) => `    # ${l}`), ...(k ? [`    ${k}=${v},`] : [])]);
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
