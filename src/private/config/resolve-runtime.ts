import { ResolvedHealthcheck, ResolvedRuntime } from './resolved';
import { Defaults } from '../../defaults';
import { LibcKind, Libc } from '../../libc';
import { HealthcheckOptions, RuntimeOptions } from '../../options';
import { CargoPackage } from '../cargo/workspace';
import { RustDockerConfigError } from '../errors';
import { assertImageReference } from '../validation/oci-reference';
import { assertPattern, assertSafe, ENV_NAME, IMAGE_PATH, RELATIVE_PATH } from '../validation/safe-values';

function oneLine(value: string | undefined): string | undefined {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v : undefined;
}

function portList(field: string, ports: number[] | undefined, suffix: string): string[] {
  return (ports ?? []).map((p, i) => {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new RustDockerConfigError(`${field}[${i}]`, `${p} is not a port number`, 'use a whole number from 1 to 65535');
    return `${p}${suffix}`;
  });
}

function seconds(field: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > 86400) throw new RustDockerConfigError(field, `${v} is not a whole number of seconds from ${min} to 86400`, `use a value such as ${fallback}`);
  return v;
}

function resolveHealthcheck(field: string, h: HealthcheckOptions | undefined): ResolvedHealthcheck | undefined {
  if (!h) return undefined;
  if (!h.args?.length) {
    throw new RustDockerConfigError(`${field}.args`, 'the probe has no arguments, so the healthcheck would start a second copy of the service', 'pass the arguments of the binary\'s own probe, e.g. ["health"] (the binary must implement it and exit 0 when healthy)');
  }
  h.args.forEach((a, i) => assertSafe(`${field}.args[${i}]`, a));
  const retries = h.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 1 || retries > 100) throw new RustDockerConfigError(`${field}.retries`, `${retries} is not a whole number from 1 to 100`, 'use a value such as 3');
  return {
    args: [...h.args],
    intervalSeconds: seconds(`${field}.intervalSeconds`, h.intervalSeconds, 30, 1),
    timeoutSeconds: seconds(`${field}.timeoutSeconds`, h.timeoutSeconds, 5, 1),
    startPeriodSeconds: seconds(`${field}.startPeriodSeconds`, h.startPeriodSeconds, 10, 0),
    retries,
  };
}

/**
 * Base images known to ship a CA bundle at /etc/ssl/certs/ca-certificates.crt
 * (distroless static, base and cc; Chainguard's static; Alpine's
 * ca-certificates-bundle). Any other base gets the builder's bundle.
 */
const BASES_WITH_CA_CERTIFICATES = [/^gcr\.io\/distroless\/(static|base|cc)(-|:|@|$)/, /^cgr\.dev\/chainguard\/static(:|@|$)/, /^(docker\.io\/)?(library\/)?alpine(:|@|$)/];

/** Whether a runtime base image is known to ship CA certificates. */
export function baseHasCaCertificates(baseImage: string): boolean {
  return BASES_WITH_CA_CERTIFICATES.some((re) => re.test(baseImage));
}

/** The runtime settings of one image: the shared ones with the binary's own merged over them. */
export function resolveRuntime(field: string, libc: Libc, shared: RuntimeOptions | undefined, own: RuntimeOptions | undefined): ResolvedRuntime {
  const r: RuntimeOptions = { ...shared, ...own };
  const baseImage = r.baseImage ?? (libc.kind === LibcKind.GLIBC ? Defaults.GLIBC_RUNTIME_BASE_IMAGE : Defaults.RUNTIME_BASE_IMAGE);
  assertImageReference(`${field}.baseImage`, baseImage);
  const user = r.user ?? Defaults.RUNTIME_USER;
  assertPattern(`${field}.user`, user, /^[0-9]+(:[0-9]+)?$/, 'a numeric user such as "65532" or "10001:10001"');
  if (/^0(:|$)/.test(user)) {
    throw new RustDockerConfigError(`${field}.user`, 'the image would run as root (uid 0)', 'use a non-root numeric user such as "65532:65532"');
  }
  const env = Object.entries(r.env ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]): [string, string] => {
    assertPattern(`${field}.env`, k, ENV_NAME, 'an environment variable name');
    assertSafe(`${field}.env.${k}`, v);
    return [k, v];
  });
  const extraFiles = (r.extraFiles ?? []).map((f, i) => {
    assertPattern(`${field}.extraFiles[${i}].source`, f.source, RELATIVE_PATH, 'a relative path inside the build context');
    if (/^target(\/|$)/.test(f.source)) {
      throw new RustDockerConfigError(`${field}.extraFiles[${i}].source`, `"${f.source}" is under target/, which .dockerignore excludes`, 'copy build outputs through the build stage, or keep assets outside target/');
    }
    assertPattern(`${field}.extraFiles[${i}].destination`, f.destination, IMAGE_PATH, 'an absolute path in the image');
    if (f.mode !== undefined) assertPattern(`${field}.extraFiles[${i}].mode`, f.mode, /^0?[0-7]{3,4}$/, 'an octal mode such as "0644"');
    return { source: f.source.replace(/\/+$/, ''), destination: f.destination, mode: f.mode };
  });
  const binDir = r.binDir ?? '/usr/local/bin';
  assertPattern(`${field}.binDir`, binDir, IMAGE_PATH, 'an absolute path in the image');
  return {
    baseImage,
    user,
    ports: [...portList(`${field}.ports`, r.ports, ''), ...portList(`${field}.udpPorts`, r.udpPorts, '/udp')],
    env,
    args: (r.args ?? []).map((a, i) => {
      assertSafe(`${field}.args[${i}]`, a);
      return a;
    }),
    extraFiles,
    binDir: binDir.replace(/(.)\/+$/, '$1'),
    healthcheck: resolveHealthcheck(`${field}.healthcheck`, r.healthcheck),
    copyCaCertificates: !baseHasCaCertificates(baseImage),
  };
}

/**
 * The OCI labels the Dockerfile carries, from Cargo metadata and the user's
 * labels. The version is not among them: it comes from the build (CI
 * metadata, or the IMAGE_VERSION build argument), so a version bump needs no
 * regeneration.
 */
export function resolveLabels(field: string, title: string, pkg: CargoPackage, extra: Record<string, string> | undefined): Array<[string, string]> {
  const m = pkg.metadata;
  const labels = new Map<string, string>();
  const set = (k: string, v: string | undefined) => {
    const value = oneLine(v);
    if (value) labels.set(`org.opencontainers.image.${k}`, value);
  };
  set('title', title);
  set('description', m.description);
  set('licenses', m.license);
  set('source', m.repository);
  set('url', m.homepage);
  for (const [k, v] of Object.entries(extra ?? {})) {
    assertPattern(`${field}.labels`, k, /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'a label key such as "org.example.team"');
    assertSafe(`${field}.labels.${k}`, v);
    labels.set(k, v);
  }
  return [...labels.entries()];
}
