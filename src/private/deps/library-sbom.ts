import { TargetLibrary } from './target-libraries';

/** Where a runtime image carries the SBOM of the system libraries linked into its binary. */
export function librarySbomPath(binary: string): string {
  return `/usr/share/doc/${binary}/target-libraries.cdx.json`;
}

/**
 * A CycloneDX SBOM of the system libraries the build compiled and linked
 * statically into `binary`: a scanner reading the binary sees the Rust
 * crates (cargo-auditable's list) but not the C libraries inside it. One
 * field per line, so no line is long; deterministic, so the image is too.
 * No `metadata.component`: syft would list it as one more package, with an
 * unknown version, beside the binary's own entry from cargo-auditable.
 */
export function librarySbom(binary: string, libraries: readonly TargetLibrary[]): string[] {
  const component = (lib: TargetLibrary, last: boolean) => [
    '    {',
    '      "type": "library",',
    `      "name": ${JSON.stringify(lib.name.toLowerCase())},`,
    `      "version": ${JSON.stringify(lib.version)},`,
    `      "purl": ${JSON.stringify(`pkg:generic/${lib.name.toLowerCase()}@${lib.version}`)},`,
    `      "licenses": [{ "license": { "id": ${JSON.stringify(lib.license)} } }],`,
    `      "description": ${JSON.stringify(`linked statically into ${binary}; built from the crates registry's ${lib.source.crate} ${lib.source.version}`)}`,
    `    }${last ? '' : ','}`,
  ];
  return [
    '{',
    '  "bomFormat": "CycloneDX",',
    '  "specVersion": "1.5",',
    '  "version": 1,',
    '  "components": [',
    ...libraries.flatMap((lib, i) => component(lib, i === libraries.length - 1)),
    '  ]',
    '}',
  ];
}
