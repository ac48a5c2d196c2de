/**
 * The subset of GitHub Actions expressions the generated workflows use in
 * step inputs, evaluated as the runner does: context paths
 * (`steps.names.outputs.image`, `runner.temp`, `github.event_name`), string
 * literals, `true`/`false`, `!`, `==`/`!=`, `&&`/`||` (which return an
 * operand, not a boolean), parentheses, and the functions `format`,
 * `startsWith` and `hashFiles` (of the files under the context's
 * `github.workspace`). A path the context does not hold is empty, as a missing step
 * output is. Anything else throws, so a workflow that outgrows this subset
 * fails the check that reads it instead of being read wrongly.
 */

import { createHash } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

/** The values of context paths, e.g. `{ 'runner.temp': '/tmp/x', 'github.event_name': 'push' }`. */
export type ExpressionContext = Readonly<Record<string, string>>;

type Value = string | boolean;

const TOKEN = /\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||[!(),])|([A-Za-z_][\w.-]*))/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`expression "${text}": cannot read it from "${text.slice(TOKEN.lastIndex)}"`);
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

function asString(v: Value): string {
  return typeof v === 'boolean' ? String(v) : v;
}

function truthy(v: Value): boolean {
  return typeof v === 'boolean' ? v : v !== '';
}

/** Evaluates one expression (the text between `${{` and `}}`). */
export function evaluate(expression: string, context: ExpressionContext): Value {
  const tokens = tokenize(expression);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (t === undefined || (expected !== undefined && t !== expected)) throw new Error(`expression "${expression}": expected ${expected ?? 'more'} at token ${i}`);
    return t;
  };
  // `&&` and `||` chain left to right, each returning one of its operands.
  const chain = (op: string, operand: () => Value, pick: (l: Value, r: Value) => Value) => (): Value => {
    let v = operand();
    while (peek() === op) {
      take();
      v = pick(v, operand());
    }
    return v;
  };
  const and = chain('&&', () => cmp(), (l, r) => (truthy(l) ? r : l));
  const or = chain('||', and, (l, r) => (truthy(l) ? l : r));
  const cmp = (): Value => {
    const l = unary();
    if (peek() !== '==' && peek() !== '!=') return l;
    const op = take();
    const r = unary();
    const same = asString(l).toLowerCase() === asString(r).toLowerCase();
    return op === '==' ? same : !same;
  };
  const unary = (): Value => {
    if (peek() === '!') {
      take();
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const t = take();
    if (t === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'true' || t === 'false') return t === 'true';
    if (peek() === '(') {
      take('(');
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(or());
        if (peek() === ',') take(',');
      }
      take(')');
      return call(t, args.map(asString));
    }
    return context[t] ?? '';
  };
  const call = (name: string, args: string[]): Value => {
    if (name === 'format') return args[0].replace(/\{(\d+)\}/g, (_, n) => args[1 + Number(n)] ?? '');
    if (name === 'startsWith') return args[0].toLowerCase().startsWith(args[1].toLowerCase());
    if (name === 'hashFiles') return hashFiles(context['github.workspace'], args);
    throw new Error(`expression "${expression}": the function ${name} is not evaluated here`);
  };
  const v = or();
  if (i !== tokens.length) throw new Error(`expression "${expression}": unexpected "${tokens[i]}"`);
  return v;
}

/** A step input with every `${{ ... }}` replaced by its value. */
export function expand(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, e: string) => asString(evaluate(e, context)));
}

/**
 * Whether a workspace-relative path matches a hashFiles pattern: a literal
 * path, or `<dir>/` `**` `/<name>` (a file of that name at any depth under
 * dir, or at its top; dir may be left out).
 */
function matches(pattern: string, path: string): boolean {
  const deep = /^(?:(.*)\/)?\*\*\/([^*?[\]]+)$/.exec(pattern);
  if (deep) {
    const [, dir, name] = deep;
    const under = dir ? path.startsWith(`${dir}/`) : true;
    return under && (path === (dir ? `${dir}/${name}` : name) || path.endsWith(`/${name}`));
  }
  if (/[*?[\]]/.test(pattern)) throw new Error(`hashFiles('${pattern}'): only literal paths and <dir>/**/<name> are evaluated here`);
  return path === pattern;
}

/**
 * The runner's `hashFiles`: the SHA-256 of each matching file under the
 * workspace (sorted by path), hashed together; empty when none matches.
 */
function hashFiles(workspace: string | undefined, patterns: string[]): string {
  if (!workspace) throw new Error('hashFiles needs github.workspace in the context');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && patterns.some((p) => matches(p, relative(workspace, path)))) files.push(path);
    }
  };
  walk(workspace);
  if (!files.length) return '';
  const all = createHash('sha256');
  for (const f of files.sort()) all.update(createHash('sha256').update(readFileSync(f)).digest());
  return all.digest('hex');
}
