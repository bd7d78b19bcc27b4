/**
 * `.dockerignore` to BuildKit exclude patterns, as Docker reads it: one pattern per line,
 * `#` comment lines and blank lines skipped, surrounding whitespace trimmed, paths cleaned
 * (leading `/` and `./` removed), `!` exceptions kept.
 */
export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    if (rawLine.startsWith('#')) continue;
    let line = rawLine.trim();
    if (line === '') continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1).trim();
    }
    const cleaned = cleanPath(line);
    if (cleaned === '') continue;
    patterns.push(negate ? `!${cleaned}` : cleaned);
  }
  return patterns;
}

function cleanPath(pattern: string): string {
  const parts: string[] = [];
  for (const part of pattern.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
