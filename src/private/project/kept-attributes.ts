import { GitAttributesFile, IResolver } from 'projen';

/** The protected hook every projen file writes its text with. */
type Synthesize = (resolver: IResolver) => string | undefined;

/**
 * Makes projen's `.gitattributes` keep the repository's own lines verbatim
 * (comments, order and all), right below projen's marker and above projen's
 * entries. Git lets a later line win, and projen's entries only name the
 * files projen writes, so each side keeps what it had. projen's own file
 * sorts its entries by pattern and knows no comments, so its text is taken
 * as it is and the lines are put in.
 */
export function keepOwnAttributes(file: GitAttributesFile, lines: string[]): void {
  if (!lines.length) return;
  const hook = file as unknown as { synthesizeContent: Synthesize };
  const generated = hook.synthesizeContent.bind(file);
  hook.synthesizeContent = (resolver) => {
    // projen's text: its marker, a blank line and its entries; nothing when it has no entries.
    const entries = (generated(resolver) ?? '').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const marker = file.marker ? [`# ${file.marker}`, ''] : [];
    return [...marker, ...lines, ...(entries.length ? ['', ...entries] : []), ''].join('\n');
  };
}
