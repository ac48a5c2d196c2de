/**
 * The production options as they appear in the generated files: auditable
 * binaries, split debug symbols, a shell-free healthcheck, glibc with a
 * floor, the sccache compiler cache, and the platforms without a hosted
 * runner. The real-build suite builds them; these check the generated text.
 */
import { Testing } from 'projen';
import { parse as parseYaml } from 'yaml';
import { AdvisorySeverity, CompilerCache, Defaults, Libc, Platform, RustDockerImage, RustDockerImageOptions } from '../src';
import { dockerfileProblems, unwrapped } from './util';
import { newProject, simpleCrate, synthImage } from '../harness/projects';
import { serviceWorkspace } from '../harness/service-workspace';
import { ACTIONS } from '../src/private/ci/actions';

function dockerfile(options: RustDockerImageOptions): string {
  const df = synthImage(simpleCrate(), options).files.Dockerfile as string;
  expect(dockerfileProblems(df)).toEqual([]);
  return df;
}

describe('auditable binaries', () => {
  test('on by default: the build runs cargo auditable zigbuild, the builder installs the pinned cargo-auditable, the cook is unchanged', () => {
    const df = dockerfile({});
    expect(df).toContain(`cargo-auditable@${Defaults.CARGO_AUDITABLE_VERSION}`);
    expect(df).toMatch(/^cargo auditable zigbuild --locked --release/m);
    expect(df).toMatch(/^cargo chef cook --zigbuild --locked --release/m);
  });

  test('auditable: false builds with cargo zigbuild and installs no cargo-auditable', () => {
    const df = dockerfile({ auditable: false });
    expect(df).not.toContain('auditable');
    expect(df).toMatch(/^cargo zigbuild --locked --release/m);
  });
});

describe('split debug symbols', () => {
  const df = dockerfile({ debugSymbols: true, profile: 'dist' });

  test('cook and build share the profile settings that keep line tables and no strip', () => {
    expect(df).toContain('ENV CARGO_PROFILE_DIST_DEBUG="limited" \\\n    CARGO_PROFILE_DIST_SPLIT_DEBUGINFO="off" \\\n    CARGO_PROFILE_DIST_STRIP="false"');
    expect(df).toContain('rustup component add llvm-tools');
  });

  test('each binary is split with llvm-objcopy: debug file apart, stripped binary with a GNU debuglink', () => {
    expect(df).toContain('  f="target/${t%%.*}/dist/app"\n');
    expect(df).toContain('  "$objcopy" --only-keep-debug "$f" "$f.debug"\n');
    expect(df).toContain('  "$objcopy" --strip-all --keep-section=.dep-v0 --add-gnu-debuglink="$f.debug" "$f"\n');
    // Without cargo-auditable there is no dependency list to keep.
    expect(dockerfile({ debugSymbols: true, auditable: false })).toContain('"$objcopy" --strip-all --add-gnu-debuglink=');
  });

  test('a debug-symbols target exports the files, and CI uploads them', () => {
    expect(df).toContain('FROM scratch AS debug-symbols-amd64\nCOPY --from=build /app/target/x86_64-unknown-linux-musl/dist/app.debug /');
    expect(df).toContain('FROM scratch AS debug-symbols-arm64\nCOPY --from=build /app/target/aarch64-unknown-linux-musl/dist/app.debug /');
    expect(df).toContain('FROM debug-symbols-${TARGETARCH}${TARGETVARIANT} AS debug-symbols\n');
    const wf = parseYaml(synthImage(simpleCrate(), { debugSymbols: true }).files['.github/workflows/docker-app.yml']);
    const steps = wf.jobs.build.steps;
    expect(steps.find((s: any) => s.id === 'debug-symbols').with).toEqual(expect.objectContaining({ target: 'debug-symbols', outputs: 'type=local,dest=${{ runner.temp }}/debug-symbols' }));
    expect(steps.find((s: any) => s.id === 'upload-debug-symbols').with).toEqual(expect.objectContaining({ name: 'debug-symbols-app', path: '${{ runner.temp }}/debug-symbols' }));
  });
});

describe('a healthcheck without a shell', () => {
  test('exec form, the binary with its probe arguments, typed settings', () => {
    const df = dockerfile({ runtime: { healthcheck: { args: ['health', '--timeout', '2'], intervalSeconds: 20, timeoutSeconds: 4, startPeriodSeconds: 0, retries: 5 } } });
    expect(df).toContain('HEALTHCHECK --interval=20s --timeout=4s --retries=5 CMD ["/usr/local/bin/app", "health", "--timeout", "2"]');
  });

  test('defaults: 30s, 5s, 10s, 3', () => {
    expect(dockerfile({ runtime: { healthcheck: { args: ['health'] } } })).toContain('HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/usr/local/bin/app", "health"]');
  });

  test.each([
    [{ args: [] }, /runtime\.healthcheck\.args: the probe has no arguments/],
    [{ args: ['health'], intervalSeconds: 0 }, /runtime\.healthcheck\.intervalSeconds: 0 is not a whole number of seconds from 1/],
    [{ args: ['health'], retries: 1.5 }, /runtime\.healthcheck\.retries: 1\.5 is not a whole number/],
    [{ args: ['$(id)'] }, /runtime\.healthcheck\.args\[0\]/],
  ])('bad healthcheck %#', (healthcheck, re) => {
    expect(() => synthImage(simpleCrate(), { runtime: { healthcheck } })).toThrow(re);
  });
});

describe('glibc with a floor', () => {
  const df = unwrapped(dockerfile({ libc: Libc.glibc('2.28') }));

  test('targets carry the floor, rustup installs the gnu targets, zig warms them, the runtime base is distroless cc', () => {
    expect(df).toContain('ARG RUST_TARGETS="x86_64-unknown-linux-gnu.2.28 aarch64-unknown-linux-gnu.2.28"');
    expect(df).toContain('rustup target add x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu');
    expect(df).toContain('cargo zigbuild --quiet --release --manifest-path /tmp/zig-warmup/Cargo.toml --target x86_64-unknown-linux-gnu.2.28 --target aarch64-unknown-linux-gnu.2.28');
    expect(df).toContain(`FROM ${Defaults.GLIBC_RUNTIME_BASE_IMAGE} AS runtime`);
  });

  test('the cook links each suffixed target folder to the real one (cargo-chef #367), and the output comes from the real one', () => {
    expect(df).toContain('for t in $RUST_TARGETS; do mkdir -p "target/${t%%.*}"; ln -sfn "${t%%.*}" "target/$t"; done');
    expect(df).toContain('  f="target/${t%%.*}/release/app"\n');
    expect(df).toContain('FROM scratch AS binaries-amd64\nCOPY --from=build /app/target/x86_64-unknown-linux-gnu/release/app /');
  });

  test('the binary check reads glibc version needs against the floor, not static linking', () => {
    expect(df).toContain('newer than the floor 2.28');
    expect(df).not.toContain('is not static');
  });

  test('a bad floor names the option', () => {
    expect(() => Libc.glibc('2.x')).toThrow(/libc \(glibc minimum version\): "2\.x" is not a glibc version such as "2\.28"/);
  });
});

describe('the sccache compiler cache', () => {
  const out = synthImage(simpleCrate(), { compilerCache: CompilerCache.sccache() }).files;
  const df = out.Dockerfile as string;

  test('the builder installs sccache; cook and build wrap rustc with it, without incremental builds, over a cache mount', () => {
    expect(df).toContain(`sccache@${Defaults.SCCACHE_VERSION}`);
    expect(out['rust-builder.Dockerfile']).toMatch(new RegExp(`for tool in .* sccache@${Defaults.SCCACHE_VERSION}; do`));
    expect(df).toContain('CARGO_INCREMENTAL="0"');
    expect(df).toContain('RUSTC_WRAPPER="sccache"');
    expect(df.match(/--mount=type=cache,target=\/usr\/local\/sccache,id=sccache,sharing=locked/g)).toHaveLength(2);
  });

  test('in CI the Actions cache credentials reach it as secrets, never as build arguments', () => {
    expect(df.match(/--mount=type=secret,id=ACTIONS_RUNTIME_TOKEN,env=ACTIONS_RUNTIME_TOKEN/g)).toHaveLength(2);
    expect(df).toContain('if [ -n "$ACTIONS_RUNTIME_TOKEN" ]; then export SCCACHE_GHA_ENABLED=on; fi');
    const steps = parseYaml(out['.github/workflows/docker-app.yml']).jobs.build.steps;
    expect(steps.find((s: any) => s.id === 'github-runtime').uses).toBe(ACTIONS.githubRuntime);
    const build = steps.find((s: any) => s.id === 'build-app').with;
    expect(build.secrets).toBe('ACTIONS_RESULTS_URL=${{ env.ACTIONS_RESULTS_URL }}\nACTIONS_RUNTIME_TOKEN=${{ env.ACTIONS_RUNTIME_TOKEN }}');
    expect(build['build-args']).not.toContain('ACTIONS');
  });

  test('off by default', () => {
    expect(dockerfile({})).not.toContain('sccache');
  });
});

describe('the cargo-target cache of the cook (the default)', () => {
  const df = synthImage(simpleCrate(), {}).files.Dockerfile as string;
  const cook = df.slice(df.indexOf('AS cook'), df.indexOf('AS build'));

  test('of the image\'s stages only the cook mounts the image\'s own folder (and the two that carry it for CI), and copies it in before cargo chef cook and back after', () => {
    const stages = df.split(/^(?=FROM )/m).map((text) => ({ name: /^FROM \S+(?: AS (\S+))?/.exec(text)?.[1], text }));
    expect(stages.filter((st) => st.text.includes('target=/var/cache/cargo-target,id=test-app-cargo-target')).map((st) => st.name))
      .toEqual(['cook', 'cargo-target-seed', 'cargo-target-collect']);
    expect(df.match(/--mount=type=cache,target=\/var\/cache\/cargo-target,id=test-app-cargo-target,sharing=locked/g)).toHaveLength(3);
    expect(cook).toContain('--mount=type=cache,target=/var/cache/cargo-target,id=test-app-cargo-target,sharing=locked');
    const order = ['cache=/var/cache/cargo-target', 'mkdir -p target && cp -a "$cache/target/." target/', 'find "$cache" -mindepth 1 -maxdepth 1 -exec rm -rf {} +',
      'cargo chef cook', 'echo "$compiler" > target/.rustc-version', 'mkdir -p "$cache/target" && cp -au target/. "$cache/target/"', 'du -sk target | cut -f1 > "$cache/clean-kib"'];
    expect(order.map((l) => cook.indexOf(l))).toEqual([...order.map((l) => cook.indexOf(l))].sort((a, b) => a - b));
    expect(order.every((l) => cook.includes(l))).toBe(true);
    expect(cook).toContain("# The last cook's target folder (a cache mount) seeds this one: after a dependency bump Cargo compiles only what changed.");
    // The build stage reads the cook's layer, as without the cache: the same flags, no sccache.
    expect(df).not.toContain('sccache');
    expect(df).toContain('--target-dir target');
  });

  test('one folder per image: a second image of the project keeps its own', () => {
    const project = newProject(serviceWorkspace());
    new RustDockerImage(project, { binary: 'api' });
    new RustDockerImage(project, { binary: 'worker', compilerCache: CompilerCache.cargoTarget() });
    const files = Testing.synth(project);
    expect(files.Dockerfile).toContain('id=test-api-cargo-target');
    expect(files['worker.Dockerfile']).toContain('id=test-worker-cargo-target');
  });

  test('the project\'s name keeps an image of the same name in another project out of its folder (one daemon serves both)', () => {
    const mountIds = (name: string) => {
      const project = newProject(simpleCrate('api'), undefined, name);
      new RustDockerImage(project, {});
      const text = Testing.synth(project).Dockerfile as string;
      return [...new Set([...text.matchAll(/target=\/var\/cache\/cargo-target,id=([^,\s]+)/g)].map((m) => m[1]))];
    };
    expect(mountIds('billing')).toEqual(['billing-api-cargo-target']);
    expect(mountIds('shipping')).toEqual(['shipping-api-cargo-target']);
    // A project named as its image, or with nothing usable in its name, keeps the short id.
    expect(mountIds('api')).toEqual(['api-cargo-target']);
    expect(mountIds('@@')).toEqual(['api-cargo-target']);
    // An npm scope, capitals and spaces cannot reach the mount's flags.
    expect(mountIds('@acme/Shipping Service')).toEqual(['acme-shipping-service-api-cargo-target']);
  });

  test('CompilerCache.cargoTarget() is the default, written out', () => {
    expect(synthImage(simpleCrate(), { compilerCache: CompilerCache.cargoTarget() }).files.Dockerfile).toBe(df);
  });

  test('CompilerCache.none() and sccache leave it out: no mount, no seed or export stage, no cache steps in CI', () => {
    for (const compilerCache of [CompilerCache.none(), CompilerCache.sccache()]) {
      const out = synthImage(simpleCrate(), { compilerCache }).files;
      expect(out.Dockerfile).not.toContain('cargo-target');
      expect(out['.github/workflows/docker-app.yml']).not.toContain('cargo-target');
      expect(out['.github/workflows/docker-app.yml']).not.toContain('actions/cache');
    }
  });
});

describe('platforms without a hosted runner', () => {
  test('arm/v7 and riscv64 map to their musl targets', () => {
    const df = dockerfile({ platforms: [Platform.LINUX_ARM_V7, Platform.LINUX_RISCV64] });
    expect(df).toContain('ARG RUST_TARGETS="armv7-unknown-linux-musleabihf riscv64gc-unknown-linux-musl"');
    expect(df).toContain('FROM scratch AS binaries-armv7\nCOPY --from=build /app/target/armv7-unknown-linux-musleabihf/release/app /');
    expect(df).toContain('FROM scratch AS binaries-riscv64\nCOPY --from=build /app/target/riscv64gc-unknown-linux-musl/release/app /');
  });
});

describe('the vulnerability gate\'s policy', () => {
  const attempt = (gate: object, extra: object = {}) => () => synthImage(simpleCrate(), { vulnerabilityGate: gate, ...extra });

  test('the policy reaches the gate\'s audit.toml: ignored ids with their reasons, and the failing severity', () => {
    const script = synthImage(simpleCrate(), {
      vulnerabilityGate: { failOn: AdvisorySeverity.HIGH, ignore: [{ id: 'RUSTSEC-2023-0071', reason: 'no RSA decryption of untrusted input' }] },
    }).files['docker-app.sh'] as string;
    expect(script).toContain('[advisories]\nignore = [\n  "RUSTSEC-2023-0071", # no RSA decryption of untrusted input\n]\nseverity_threshold = "high"\nPOLICY\n');
  });

  test('bad ids, empty reasons, unknown severities and a gate without auditable are refused, naming the field', () => {
    expect(attempt({ ignore: [{ id: 'NOPE-1', reason: 'x' }] })).toThrow(/vulnerabilityGate\.ignore\[0\]\.id: "NOPE-1" is not an advisory id/);
    expect(attempt({ ignore: [{ id: 'RUSTSEC-2023-0071', reason: ' ' }] })).toThrow(/vulnerabilityGate\.ignore\[0\]\.reason: is empty/);
    expect(attempt({ ignore: [{ id: 'RUSTSEC-2023-0071', reason: 'a"b' }] })).toThrow(/vulnerabilityGate\.ignore\[0\]\.reason: .* could break out/);
    expect(attempt({ failOn: 'severe' })).toThrow(/vulnerabilityGate\.failOn: "severe" is not a severity/);
    expect(attempt({ enabled: true }, { auditable: false })).toThrow(/vulnerabilityGate\.enabled: the gate reads the dependency list that cargo-auditable embeds, but auditable is false/);
  });

  test('without auditable the gate is off by default; enabled: false turns it off', () => {
    for (const options of [{ auditable: false }, { vulnerabilityGate: { enabled: false } }]) {
      const { files } = synthImage(simpleCrate(), options);
      expect(files['docker-app.sh']).not.toContain('audit_bins');
      // The runtime still copies from the per-platform binaries stages; nothing names the gate's export.
      expect(files.Dockerfile).toContain('FROM binaries-${TARGETARCH}${TARGETVARIANT} AS binaries\n');
      expect(files.Dockerfile).not.toContain('vulnerability gate');
    }
  });
});
