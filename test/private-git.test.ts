/**
 * Private git dependencies (`privateGit`): the token reaches the planner and
 * the cook as a BuildKit secret in their RUN's environment, in the Dockerfile, the local
 * script, the bake file and every build step of the workflow, and nowhere
 * else; bad settings are refused before any file is written. The real build
 * against a git server that wants the token is test/integration/git-dependencies.test.ts.
 */
import { readdirSync } from 'fs';
import { parse as parseYaml } from 'yaml';
import { actionlintProblems } from './util';
import { gitDependencyCrate, newProject, synthImage } from '../harness/projects';
import { serviceWorkspace } from '../harness/service-workspace';
import { RustDockerImage } from '../src';

const stageOf = (dockerfile: string, name: string) => dockerfile.split(/\n(?=FROM )/).find((s) => new RegExp(` AS ${name}\\n`).test(`${s}\n`))!;

describe('privateGit', () => {
  const { files, image } = synthImage(gitDependencyCrate(), { privateGit: {} });
  const dockerfile = files[image.dockerfilePath] as string;

  test('the cook mounts the token as a secret in its environment, checks it is there, and scopes git\'s helper to the lock\'s origin', () => {
    const cook = stageOf(dockerfile, 'cook');
    expect(cook).toContain('    --mount=type=secret,id=cargo-git-token,env=CARGO_GIT_TOKEN \\\n');
    expect(cook).toContain('if [ -z "${CARGO_GIT_TOKEN:-}" ]; then\n'
      + "  echo 'error: the build secret cargo-git-token is missing: the token that reads the private git dependencies (https://git.example.com)' >&2\n"
      + "  echo 'Fix: in CI, set the repository secret CARGO_GIT_TOKEN; locally, export CARGO_GIT_TOKEN; then build again' >&2\n  exit 1\nfi\n");
    expect(cook).toContain('helper=\'!f() { echo username=x-access-token; echo "password=$CARGO_GIT_TOKEN"; }; f\'\n'
      + 'export CARGO_NET_GIT_FETCH_WITH_CLI=true GIT_TERMINAL_PROMPT=0 GIT_CONFIG_COUNT=1\n'
      + 'export GIT_CONFIG_KEY_0=\'credential.https://git.example.com.helper\'\nexport GIT_CONFIG_VALUE_0="$helper"\n');
  });

  test('the planner has it too (cargo chef prepare runs cargo metadata, which fetches), with the cook\'s git database cache', () => {
    const planner = stageOf(dockerfile, 'planner');
    expect(planner).toContain('RUN --mount=type=cache,target=/usr/local/cargo/git/db,sharing=locked \\\n    --mount=type=secret,id=cargo-git-token,env=CARGO_GIT_TOKEN <<\'EOF\'\n');
    expect(planner).toMatch(/if \[ -z "\$\{CARGO_GIT_TOKEN:-\}" \]; then[\s\S]*export GIT_CONFIG_VALUE_0="\$helper"\ncargo chef prepare --recipe-path recipe\.json --bin app\nEOF\n/);
  });

  test('only the planner and the cook see it: not the build stage, and no ARG or ENV names the token', () => {
    expect(dockerfile.match(/type=secret/g)).toHaveLength(2);
    expect(stageOf(dockerfile, 'build')).not.toContain('CARGO_GIT_TOKEN');
    expect(dockerfile).not.toMatch(/^(ARG|ENV) .*GIT_TOKEN/m);
  });

  test('the builder has git, for cargo\'s fetch through the git CLI', () => {
    expect(files[image.builderDockerfilePath]).toMatch(/^RUN apk add --no-cache .*\bgit\b/m);
  });

  test('every build step of the workflow passes the repository secret as the BuildKit secret, never as a build argument; actionlint finds nothing', async () => {
    const path = Object.keys(files).find((f) => /^\.github\/workflows\/docker-.*\.yml$/.test(f))!;
    const wf = parseYaml(files[path]);
    const builds = Object.values(wf.jobs).flatMap((j: any) => j.steps).filter((st: any) => /docker\/build-push-action/.test(st.uses ?? ''));
    expect(builds.length).toBeGreaterThan(0);
    for (const st of builds) {
      expect({ id: st.id, secrets: st.with.secrets }).toEqual({ id: st.id, secrets: 'cargo-git-token=${{ secrets.CARGO_GIT_TOKEN }}' });
      expect(JSON.stringify(st.with['build-args'] ?? '')).not.toContain('TOKEN');
    }
    expect(await actionlintProblems(files[path])).toEqual([]);
  });

  test('the local script checks the variable first, and passes it as the secret to every build', () => {
    const script = files[Object.keys(files).find((f) => /^docker-.*\.sh$/.test(f))!] as string;
    expect(script).toContain('  [ -n "${CARGO_GIT_TOKEN:-}" ] || fail \'export CARGO_GIT_TOKEN first: a token that reads the private git dependencies (https://git.example.com)\'\n');
    // build, build-all and the vulnerability gate's export of the binaries.
    expect(script.match(/--secret 'id=cargo-git-token,env=CARGO_GIT_TOKEN'/g)).toHaveLength(3);
  });

  test('an image set\'s bake file gives every target the secret', () => {
    const ws = serviceWorkspace();
    const url = 'https://git.example.com/acme/helper.git';
    const rev = '0123456789abcdef0123456789abcdef01234567';
    ws['Cargo.lock'] = `${ws['Cargo.lock']}\n[[package]]\nname = "helper"\nversion = "0.1.0"\nsource = "git+${url}#${rev}"\n`;
    const set = synthImage(ws, { binaries: ['api', 'worker'], privateGit: { tokenSecret: 'ACME_GIT_TOKEN', username: 'oauth2' } });
    const bake = set.files[set.image.bakeFile!.path];
    for (const t of Object.values(bake.target) as any[]) expect(t.secret).toEqual(['id=cargo-git-token,env=ACME_GIT_TOKEN']);
    expect(set.files[set.image.dockerfilePath]).toContain('echo username=oauth2; echo "password=$ACME_GIT_TOKEN"');
  });

  test('without privateGit nothing of it is generated', () => {
    const plain = synthImage(gitDependencyCrate());
    expect(JSON.stringify(plain.files)).not.toMatch(/cargo-git-token|GIT_CONFIG_COUNT|CARGO_NET_GIT_FETCH_WITH_CLI/);
  });
});

describe('privateGit settings that cannot work are refused before any file is written', () => {
  const refused = (files: Record<string, string>, privateGit: object, message: RegExp) => {
    const project = newProject(files);
    const before = readdirSync(project.outdir).sort();
    expect(() => new RustDockerImage(project, { privateGit })).toThrow(message);
    expect(readdirSync(project.outdir).sort()).toEqual(before);
  };

  test('a token name that is no environment variable, or one GitHub keeps', () => {
    refused(gitDependencyCrate(), { tokenSecret: 'git-token' }, /privateGit\.tokenSecret: "git-token" is not a secret and environment variable name/);
    refused(gitDependencyCrate(), { tokenSecret: 'GITHUB_PAT' }, /privateGit\.tokenSecret: GITHUB_PAT starts with GITHUB_, which GitHub keeps for its own secrets\. Fix: choose another name/);
    refused(gitDependencyCrate(), { username: 'a b' }, /privateGit\.username: "a b" is not a user name/);
  });

  test('a git source over ssh: the token goes over https, so the fix names the https URL', () => {
    refused(gitDependencyCrate('ssh://git@git.example.com/acme/helper.git'), {},
      /privateGit: the token is sent over https, and these git sources of Cargo\.lock use another scheme: helper \(git\+ssh:\/\/git@git\.example\.com\/acme\/helper\.git\?rev=0123456\)\. Fix: give them https URLs/);
  });

  test('no git source at all: nothing would use the token', () => {
    const files = gitDependencyCrate();
    files['Cargo.lock'] = 'version = 4\n\n[[package]]\nname = "app"\nversion = "1.2.3"\n';
    files['Cargo.toml'] = files['Cargo.toml'].replace(/^helper = .*\n/m, '');
    refused(files, {}, /privateGit: Cargo\.lock has no git source, so no build would use the token\. Fix: remove privateGit/);
  });
});
