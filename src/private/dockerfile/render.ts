import { CopyInstruction, DockerfileModel, FromInstruction, Instruction, KeyValueInstruction, Mount, RunInstruction, Stage } from './model';

const INDENT = '    ';

function assertOneLine(what: string, value: string): void {
  if (/[\r\n]/.test(value)) {
    throw new Error(`Dockerfile renderer: ${what} must be a single line: ${JSON.stringify(value)}`);
  }
}

/** Quotes a value for LABEL/ENV: double quotes, with `\`, `"` and `$` escaped. */
export function quoteValue(value: string): string {
  assertOneLine('a LABEL or ENV value', value);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$')}"`;
}

/** Quotes a value whose only `$` are `${NAME}` build-argument references, which stay live. */
function quoteWithArgs(value: string): string {
  const parts = value.split(/(\$\{[A-Z_][A-Z0-9_]*\})/);
  return `"${parts.map((p, n) => (n % 2 ? p : quoteValue(p).slice(1, -1))).join('')}"`;
}

/** The JSON exec form of an argument vector. */
export function execForm(argv: string[]): string {
  argv.forEach((a) => assertOneLine('an exec-form argument', a));
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/** The width long comment lines and label values are wrapped at. */
const WIDTH = 140;

/** Words of `text` on lines of at most about `width` characters (a longer word stands alone). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

function renderComment(lines: string[] | undefined): string[] {
  return (lines ?? []).flatMap((l) => {
    assertOneLine('a comment', l);
    if (l === '') return ['#'];
    // A long line continues on the next, four spaces past its own indentation.
    const indent = /^ */.exec(l)![0];
    const [first, ...rest] = wrapWords(l.slice(indent.length), WIDTH - indent.length);
    return [`# ${indent}${first}`, ...rest.map((r) => `# ${indent}    ${r}`)];
  });
}

function renderFrom(from: FromInstruction, name?: string): string {
  const parts = ['FROM'];
  if (from.platform) parts.push(`--platform=${from.platform}`);
  parts.push(from.image);
  if (name) parts.push('AS', name);
  parts.forEach((p) => assertOneLine('FROM', p));
  return parts.join(' ');
}

/** The longest line a RUN of joined commands may take before it becomes a script. */
export const MAX_JOINED_RUN = 150;

/** Whether a RUN renders as a heredoc script (see `RunInstruction`). */
function isScript(i: RunInstruction): boolean {
  return Boolean(i.script) || i.commands.length > 1 && `RUN ${i.commands.join(' && ')}`.length > MAX_JOINED_RUN;
}

/**
 * The shell a RUN executes: its commands joined with `&&`, or its script
 * after `set -eu` (a heredoc's body, as BuildKit hands it to the shell).
 */
export function runBody(i: RunInstruction): string {
  return isScript(i) ? ['set -eu', ...i.commands].join('\n') : i.commands.join(' && ');
}


/** The parts of one `--mount` flag. */
function mountFlag(m: Mount): string[] {
  switch (m.kind) {
    case 'cache': return ['--mount=type=cache', `target=${m.target}`, m.id ? `id=${m.id}` : '', m.sharing ? `sharing=${m.sharing}` : ''];
    case 'bind': return ['--mount=type=bind', `from=${m.from}`, `target=${m.target}`];
    case 'secret-env': return ['--mount=type=secret', `id=${m.id}`, `env=${m.env}`];
  }
}
/** A heredoc delimiter that is no line of the body. */
function delimiter(lines: string[]): string {
  let d = 'EOF';
  for (let n = 1; lines.includes(d); n++) d = `EOF${n}`;
  return d;
}

function renderRun(i: RunInstruction): string {
  if (i.commands.length === 0) throw new Error('Dockerfile renderer: RUN needs at least one command');
  i.commands.forEach((c) => assertOneLine('a RUN command', c));
  const mounts = (i.mounts ?? []).map((m) => mountFlag(m).filter(Boolean).join(','));
  mounts.forEach((m) => assertOneLine('a RUN mount', m));
  const head = mounts.map((m, n) => (n === 0 ? `RUN ${m}` : `${INDENT}${m}`));
  if (isScript(i)) {
    const body = runBody(i).split('\n');
    const end = delimiter(body);
    const open = `<<'${end}'`;
    const first = head.length ? [...head.slice(0, -1), `${head[head.length - 1]} ${open}`] : [`RUN ${open}`];
    return [first.join(' \\\n'), ...body, end].join('\n');
  }
  const command = i.commands.join(' && ');
  return (head.length ? [...head, `${INDENT}${command}`] : [`RUN ${command}`]).join(' \\\n');
}

function renderCopy(i: CopyInstruction): string {
  const flags: string[] = [];
  if (i.from) flags.push(`--from=${i.from}`);
  if (i.chmod) flags.push(`--chmod=${i.chmod}`);
  if (i.link) flags.push('--link');
  if (i.content) {
    i.content.forEach((l) => assertOneLine('a COPY heredoc line', l));
    assertOneLine('a COPY path', i.destination);
    const end = delimiter(i.content);
    return [['COPY', ...flags, `<<'${end}'`, i.destination].join(' '), ...i.content, end].join('\n');
  }
  const paths = [...i.sources, i.destination];
  paths.forEach((p) => assertOneLine('a COPY path', p));
  const spaced = paths.some((p) => /\s/.test(p));
  const rendered = spaced ? execForm(paths) : paths.join(' ');
  return ['COPY', ...flags, rendered].join(' ');
}

/**
 * A long `key="value"` continued at spaces of the value: each line ends with
 * a backslash and the next starts at the first column, so the parser joins
 * them back to the value, its spaces kept.
 */
function wrapPair(pair: string): string {
  if (pair.length <= WIDTH) return pair;
  return wrapWords(pair, WIDTH).join(' \\\n');
}

function renderKeyValues(i: KeyValueInstruction): string {
  const pairs = i.pairs.map(([k, v]) => {
    assertOneLine(`${i.kind} key`, k);
    return wrapPair(`${k}=${i.expandArgs ? quoteWithArgs(v) : quoteValue(v)}`);
  });
  if (pairs.length === 1) return `${i.kind} ${pairs[0]}`;
  return `${i.kind} ${pairs.join(` \\\n${INDENT}`)}`;
}

function renderInstruction(i: Instruction): string {
  switch (i.kind) {
    case 'ARG':
      assertOneLine('ARG', i.name + (i.defaultValue ?? ''));
      return i.defaultValue === undefined ? `ARG ${i.name}` : `ARG ${i.name}=${quoteValue(i.defaultValue)}`;
    case 'RUN':
      return renderRun(i);
    case 'COPY':
      return renderCopy(i);
    case 'WORKDIR':
      assertOneLine('WORKDIR', i.path);
      return `WORKDIR ${i.path}`;
    case 'ENV':
    case 'LABEL':
      return renderKeyValues(i);
    case 'USER':
      assertOneLine('USER', i.user);
      return `USER ${i.user}`;
    case 'EXPOSE':
      i.ports.forEach((p) => assertOneLine('EXPOSE', p));
      return `EXPOSE ${i.ports.join(' ')}`;
    case 'ENTRYPOINT':
    case 'CMD':
      return `${i.kind} ${execForm(i.argv)}`;
    case 'HEALTHCHECK':
      // A start period of 0 is Docker's default, and BuildKit's parser wants a positive duration: leave it out.
      return ['HEALTHCHECK', `--interval=${i.intervalSeconds}s`, `--timeout=${i.timeoutSeconds}s`,
        ...(i.startPeriodSeconds > 0 ? [`--start-period=${i.startPeriodSeconds}s`] : []), `--retries=${i.retries}`, 'CMD', execForm(i.argv)].join(' ');
  }
}

function renderStage(stage: Stage): string {
  const lines = [...renderComment(stage.from.comment), renderFrom(stage.from, stage.name)];
  for (const i of stage.instructions) {
    lines.push(...renderComment(i.comment), renderInstruction(i));
  }
  return lines.join('\n');
}

/**
 * Renders the body of a Dockerfile: header comments and stages. The parser
 * directive (`# syntax=`) is rendered by `renderSyntaxDirective`, because it
 * must stand above any other comment, including projen's marker.
 */
export function renderDockerfileBody(model: DockerfileModel): string {
  const parts: string[] = [];
  if (model.header.length) parts.push(renderComment(model.header).join('\n'));
  for (const s of model.stages) parts.push(renderStage(s));
  return parts.join('\n\n') + '\n';
}

/** The `# syntax=` parser directive line. */
export function renderSyntaxDirective(model: DockerfileModel): string {
  assertOneLine('syntax', model.syntax);
  return `# syntax=${model.syntax}`;
}

/** The full text: directive, optional marker comment, body. */
export function renderDockerfile(model: DockerfileModel, marker?: string): string {
  const head = [renderSyntaxDirective(model)];
  if (marker) head.push(`# ${marker}`);
  return `${head.join('\n')}\n${renderDockerfileBody(model)}`;
}
