/**
 * Repairs the Cargo.lock that `cargo chef prepare` (0.1.78) stores in
 * recipe.json, so that `cargo chef cook --locked` accepts it.
 *
 * cargo-chef masks the version of every workspace member to 0.0.1, in the
 * skeleton manifests and in the `[[package]]` entries of the lock
 * (src/skeleton/version_masking.rs), so that a version bump leaves the
 * recipe, and the cook layer, unchanged. Two shapes break that lock:
 *
 * - A member shares its name with another package of the graph (member
 *   `itoa` 0.1.0 and the registry crate `itoa` 1.x). Cargo then writes the
 *   references with versions (`"itoa 0.1.0"`), cargo-chef masks the member's
 *   entry to 0.0.1 but not the references, and the reference points at no
 *   package: `cannot update the lock file ... because --locked was passed`.
 *   A bare reference whose version is shared with a registry package (the
 *   registry one written with its source) means the member too.
 * - A member without a `version` (Cargo 1.75+; it is 0.0.0): the lock entry is
 *   masked to 0.0.1 while the skeleton manifest still has no version.
 *
 * The repair rewrites such references to 0.0.1 and restores 0.0.0 for
 * versionless members. It reads only the recipe (never the versions known at
 * synthesis), so the repaired recipe is the same before and after a version
 * bump, and it leaves the file untouched, byte for byte, when nothing needs
 * repair. It is POSIX sh and awk (busybox, mawk and gawk alike), using only
 * `index`/`substr`, because the recipe is JSON whose strings hold TOML with
 * escaped quotes and newlines.
 */

/** Where the repaired recipe is written before it replaces the original. */
const REPAIRED = '/tmp/recipe-repair.json';

/**
 * The awk program, one statement a line. Input: recipe.json (one line, as
 * cargo-chef writes it). It writes the repaired recipe to `out` only when
 * something changed, and prints one line per repair. In the recipe's JSON
 * strings a quote is `\"` (Q) and a newline is `\n` (N).
 */
const AWK = [
  '# The text after key k up to the next escaped quote.',
  'function field(t, k,  a) {',
  '  a = index(t, k); if (!a) return ""',
  '  t = substr(t, a + length(k)); return substr(t, 1, index(t, Q) - 1)',
  '}',
  '# Every occurrence of from in t replaced by to.',
  'function swap(t, from, to,  o, k) {',
  '  o = ""',
  '  while ((k = index(t, from)) > 0) { o = o substr(t, 1, k - 1) to; t = substr(t, k + length(from)) }',
  '  return o t',
  '}',
  '{ s = s sep $0; sep = "\\n" }',
  'END {',
  '  Q = "\\\\\\""; N = "\\\\n"; M = "[[package]]" N',
  '  i = index(s, "\\"lock_file\\":\\""); if (!i) exit',
  '  head = substr(s, 1, i - 1); lock = substr(s, i)',
  '  # Members a [patch] points at (-v unmask="name=version ..."): their own version back, so the patch matches.',
  '  nu = split(unmask, um, " ")',
  '  for (q = 1; q <= nu; q++) {',
  '    e = index(um[q], "="); x = substr(um[q], 1, e - 1); v = substr(um[q], e + 1)',
  '    k = index(head, "[package]" N "name = " Q x Q)',
  '    if (k) {',
  '      rest = substr(head, k); e = index(rest, "\\",\\"targets\\":"); m = e ? substr(rest, 1, e - 1) : rest',
  '      e = index(m, N "["); sec = e ? substr(m, 1, e - 1) : m',
  '      head = substr(head, 1, k - 1) swap(sec, N "version = " Q "0.0.1" Q, N "version = " Q v Q) substr(rest, length(sec) + 1)',
  '    }',
  '    lock = swap(lock, M "name = " Q x Q N "version = " Q "0.0.1" Q, M "name = " Q x Q N "version = " Q v Q)',
  '    changed = 1; print "recipe-repair: " x " is what a [patch] puts in place of the registry crate: its version " v " unmasked"',
  '  }',
  '  # Members without a version: a [package] section of a skeleton manifest with no version key.',
  '  t = head',
  '  while ((k = index(t, "[package]" N)) > 0) {',
  '    t = substr(t, k + 11); m = substr(t, 1, index(t, "\\",\\"targets\\":") - 1)',
  '    e = index(m, N "["); sec = e ? substr(m, 1, e - 1) : m; name = field(sec, "name = " Q)',
  '    if (name != "" && !index(sec, N "version = ") && !index(m, "[package.version]")) bare[name] = 1',
  '  }',
  '  # The packages of the lock, in chunks between [[package]] lines.',
  '  k = index(lock, M); if (!k) exit',
  '  pre = substr(lock, 1, k - 1); t = substr(lock, k + length(M)); n = 0',
  '  while (t != "") {',
  '    e = index(t, M); c = e ? substr(t, 1, e - 1) : t; t = e ? substr(t, e + length(M)) : ""',
  '    name = field(c, "name = " Q); ver = field(c, N "version = " Q); own = !index(c, N "source = ")',
  '    if (own && ver == "0.0.1" && (name in bare)) {',
  '      c = swap(c, N "version = " Q "0.0.1" Q, N "version = " Q "0.0.0" Q); ver = "0.0.0"; changed = 1',
  '      print "recipe-repair: " name " has no version (0.0.0): unmasked in the lock"',
  '    }',
  '    have[name " " ver] = 1; count[name]++; if (own && ver == "0.0.1") masked[name] = 1',
  '    chunk[++n] = c; d = index(c, N "dependencies = [")',
  '    if (d) {',
  '      r = substr(c, d); r = substr(r, 1, index(r, "]"))',
  '      while ((a = index(r, Q)) > 0) {',
  '        r = substr(r, a + 2); b = index(r, Q); ref = substr(r, 1, b - 1); r = substr(r, b + 2)',
  '        split(ref, p, " "); if (index(ref, " (")) sourced[p[1] " " p[2]] = 1; else if (index(ref, " ")) refs[ref] = 1',
  '      }',
  '    }',
  '  }',
  '  # References to a masked member by its real version (or shared with a sourced package) name the member.',
  '  out_lock = pre',
  '  for (x in refs) { split(x, p, " "); if ((p[1] in masked) && p[2] != "0.0.1" && (!(x in have) || (x in sourced))) fix[x] = p[1] " 0.0.1" }',
  '  for (j = 1; j <= n; j++) { c = chunk[j]; for (x in fix) c = swap(c, Q x Q, Q fix[x] Q); out_lock = out_lock M c }',
  '  for (x in fix) { changed = 1; print "recipe-repair: the reference \\"" x "\\" now names the masked member (" fix[x] ")" }',
  '  # A member named like another package: cargo-chef removes the artifacts of the dummy by library name',
  '  # (lib<name>-*), which would remove those of the other package too: the skeleton library gets a name of its own.',
  '  for (x in masked) {',
  '    if (count[x] < 2) continue',
  '    k = index(head, "[package]" N "name = " Q x Q); if (!k) continue',
  '    rest = substr(head, k); e = index(rest, "\\",\\"targets\\":"); m = substr(rest, 1, e - 1)',
  '    l = index(m, N "[lib]" N); if (!l) continue',
  '    lib = substr(m, l + 7); e2 = index(lib, N "["); if (e2) lib = substr(lib, 1, e2 - 1); L = x; gsub(/-/, "_", L)',
  '    if (!index(lib, N "name = " Q L Q)) continue',
  '    m = substr(m, 1, l + 6) swap(substr(m, l + 7, length(lib)), N "name = " Q L Q, N "name = " Q "chef_member_" L Q) substr(m, l + 7 + length(lib))',
  '    head = substr(head, 1, k - 1) m substr(rest, e); changed = 1',
  '    print "recipe-repair: the skeleton library of member " x " is named chef_member_" L ", so cleaning up the dummies keeps the other " x',
  '  }',
  '  if (changed) printf "%s", head out_lock > out',
  '}',
];

/**
 * Script lines, run in the Cargo root after `cargo chef prepare`, that
 * repair `recipe` in place (see the module comment). No-op, leaving the file
 * byte-identical, when the lock needs no repair.
 */
export function recipeRepairScript(recipe = 'recipe.json', unmasked: readonly string[] = []): string[] {
  return [
    `rm -f ${REPAIRED}`,
    `awk -v out=${REPAIRED}${unmasked.length ? ` -v unmask='${unmasked.join(' ')}'` : ''} '`,
    ...AWK.map((l) => `  ${l}`),
    `' ${recipe}`,
    `if [ -f ${REPAIRED} ]; then mv ${REPAIRED} ${recipe}; fi`,
  ];
}
