import { existsSync } from 'fs';
import { join } from 'path';
import { isDir, listDir } from '../fs-util';

/** Converts one glob path segment (`*`, `?`, `[abc]`) to a regular expression. */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') {re += '[^/]*';} else if (c === '?') {re += '[^/]';} else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
      } else {
        re += '[' + segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else {re += c.replace(/[.+^${}()|\\]/g, '\\$&');}
  }
  return new RegExp(`^${re}$`);
}


/**
 * Expands a Cargo `members`-style glob (as the `glob` crate does, relative to
 * `root`) to the matching directories, sorted. Supports `*`, `?`, `[...]` and
 * `**`. A pattern without wildcards is returned as is when it exists.
 */
export function expandDirGlob(root: string, pattern: string): string[] {
  const segments = pattern.replace(/\\/g, '/').replace(/\/+$/, '').split('/').filter((s) => s !== '' && s !== '.');
  let current: string[] = [''];
  for (const segment of segments) {
    const next: string[] = [];
    for (const base of current) {
      const abs = join(root, base);
      if (segment === '**') {
        const stack = [base];
        while (stack.length) {
          const dir = stack.pop()!;
          next.push(dir);
          for (const e of listDir(join(root, dir))) {
            const rel = dir ? `${dir}/${e}` : e;
            if (isDir(join(root, rel))) stack.push(rel);
          }
        }
      } else if (!/[*?[]/.test(segment)) {
        const rel = base ? `${base}/${segment}` : segment;
        if (segment === '..' || existsSync(join(root, rel))) next.push(rel);
      } else {
        const re = segmentRegExp(segment);
        for (const e of listDir(abs)) {
          if (re.test(e) && !e.startsWith('.')) next.push(base ? `${base}/${e}` : e);
        }
      }
    }
    current = next;
  }
  return [...new Set(current.filter((d) => d !== '' && isDir(join(root, d))))].sort();
}
