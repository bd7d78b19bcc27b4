/**
 * The Modus lexer. Strings and f-strings are single tokens (their insides, escapes and `${ }`
 * interpolations are analysed by the AST builder), so the parser only sees a flat token stream.
 */
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import type { Diagnostic, SourceFile } from './source';

export const CH_QUOTE = 34; // "
export const CH_BACKSLASH = 92; // \
const CH_DOLLAR = 36; // $
const CH_LBRACE = 123; // {
const CH_RBRACE = 125; // }
const CH_HASH = 35; // #
const CH_NEWLINE = 10;

/** End offset (after the closing quote) of a string body starting at `from`, or -1 if unterminated. */
function scanPlainString(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CH_QUOTE) return i + 1;
    if (c === CH_BACKSLASH) i++;
  }
  return -1;
}

/**
 * End offset of an f-string body starting at `from`, or -1 if unterminated. Inside `${ }` a `#`
 * comment runs to the end of its line; a `"` there ends the f-string (the builder reports the
 * unclosed interpolation).
 */
function scanFormatString(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === CH_QUOTE) return i + 1;
    if (c === CH_BACKSLASH) {
      i += 2;
    } else if (c === CH_DOLLAR && text.charCodeAt(i + 1) === CH_LBRACE) {
      i += 2;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === CH_RBRACE) {
          i++;
          break;
        }
        if (d === CH_QUOTE) break;
        if (d === CH_HASH) {
          while (i < text.length && text.charCodeAt(i) !== CH_NEWLINE) i++;
        } else {
          i++;
        }
      }
    } else {
      i++;
    }
  }
  return -1;
}

function customMatch(scan: (text: string, from: number) => number, prefixLength: number, prefix: string) {
  return (text: string, offset: number): RegExpExecArray | null => {
    if (!text.startsWith(prefix, offset)) return null;
    const end = scan(text, offset + prefixLength);
    if (end < 0) return null;
    const match = [text.slice(offset, end)] as unknown as RegExpExecArray;
    return match;
  };
}

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED, line_breaks: true });
/** Kept in their own group (not skipped): the formatter and clause descriptions need them. */
const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: 'comments' });
export const FString = createToken({
  name: 'FString',
  label: 'a format string',
  pattern: { exec: customMatch(scanFormatString, 2, 'f"') },
  start_chars_hint: ['f'],
  line_breaks: true,
});
export const StringLit = createToken({
  name: 'StringLit',
  label: 'a string',
  pattern: { exec: customMatch(scanPlainString, 1, '"') },
  start_chars_hint: ['"'],
  line_breaks: true,
});
/** A string whose closing quote is missing: swallows the rest of the file, reported at its start. */
const UnterminatedString = createToken({
  name: 'UnterminatedString',
  label: 'an unterminated string',
  pattern: /f?"[^]*/,
  line_breaks: true,
});
/** Identifiers; a run of underscores is the anonymous variable when it stands as a term. */
export const Ident = createToken({ name: 'Ident', label: 'an identifier', pattern: /[A-Za-z_][A-Za-z0-9_-]*/ });
export const Implies = createToken({ name: 'Implies', label: '`:-`', pattern: /:-/ });
export const ColonColon = createToken({ name: 'ColonColon', label: '`::`', pattern: /::/ });
export const NotEquals = createToken({ name: 'NotEquals', label: '`!=`', pattern: /!=/ });
export const Equals = createToken({ name: 'Equals', label: '`=`', pattern: /=/ });
export const Bang = createToken({ name: 'Bang', label: '`!`', pattern: /!/ });
export const Comma = createToken({ name: 'Comma', label: '`,`', pattern: /,/ });
export const Semicolon = createToken({ name: 'Semicolon', label: '`;`', pattern: /;/ });
export const Dot = createToken({ name: 'Dot', label: '`.`', pattern: /\./ });
export const LParen = createToken({ name: 'LParen', label: '`(`', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', label: '`)`', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', label: '`[`', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', label: '`]`', pattern: /\]/ });

/** Characters that can begin some token (a lone `:` cannot, but begins `:-` and `::`). */
const TOKEN_START = /[ \t\r\n\f\v\u00a0\ufeff#"A-Za-z_:!=,;.()[\]]/;
const STRAY_HINTS: string[] = [];
for (let code = 0; code < 128; code++) {
  const ch = String.fromCharCode(code);
  if (!TOKEN_START.test(ch)) STRAY_HINTS.push(ch);
}
STRAY_HINTS.push(':', '\ufffd');

/**
 * A run of characters no token can start with (or a lone `:`). Matching them as a token is much
 * cheaper than Chevrotain's error path on garbage input; tokenize() turns them into diagnostics.
 */
const Stray = createToken({
  name: 'Stray',
  pattern: {
    exec: (text: string, offset: number): RegExpExecArray | null => {
      let end = offset;
      while (end < text.length && !TOKEN_START.test(text[end]!)) end++;
      if (end === offset && text[offset] === ':') end++;
      if (end === offset) return null;
      return [text.slice(offset, end)] as unknown as RegExpExecArray;
    },
  },
  start_chars_hint: STRAY_HINTS,
  line_breaks: true,
});

/** Order matters: Chevrotain takes the first pattern that matches (`f"` before identifiers). */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  FString,
  StringLit,
  UnterminatedString,
  Ident,
  Implies,
  ColonColon,
  NotEquals,
  Equals,
  Bang,
  Comma,
  Semicolon,
  Dot,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Stray,
];

const CH_COLON = 58; // :
const CH_BANG = 33; // !
const CH_EQUALS = 61; // =
const CH_MINUS = 45; // -
const CH_F = 102; // f
export const CH_DOT = 46; // .

const SINGLE_CHAR_TOKENS = new Map<number, TokenType>([
  [61, Equals],
  [44, Comma],
  [59, Semicolon],
  [CH_DOT, Dot],
  [40, LParen],
  [41, RParen],
  [91, LBracket],
  [93, RBracket],
]);

export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff;
}

export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === CH_MINUS;
}

/**
 * Whether a character begins a Stray token: ASCII that begins no other token, and U+FF00..U+FFFE
 * (whose first-character class holds U+FFFD). Any other character that begins no token is a
 * lexing error of length one.
 */
function beginsStray(c: number): boolean {
  return c < 128 ? !TOKEN_START.test(String.fromCharCode(c)) : c >= 0xff00 && c <= 0xfffe;
}

interface Scanned {
  tokens: IToken[];
  comments: IToken[];
  errors: Array<{ offset: number; length: number }>;
}

/**
 * The tokens of `text`, as Chevrotain's lexer over `allTokens` (first pattern that matches, with
 * its first-character classes; offsets only) gives them, written out by hand: building
 * Chevrotain's lexer costs a few milliseconds of every start, and this is several times faster on
 * large files. A unit test holds the two to the same output.
 */
export function scanTokens(text: string): Scanned {
  const out: Scanned = { tokens: [], comments: [], errors: [] };
  scanFrom(text, 0, out, false);
  return out;
}

function pushToken(list: IToken[], text: string, type: TokenType, start: number, end: number): void {
  list.push({ image: text.slice(start, end), startOffset: start, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type } as IToken);
}

/**
 * Scans `text` from `from` into `out`, to the end or (with `toDot`) just after the next `.`
 * token; returns the offset where it stopped.
 */
function scanFrom(text: string, from: number, out: Scanned, toDot: boolean): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    let end = i + 1;
    if (isSpace(c)) {
      while (end < n && isSpace(text.charCodeAt(end))) end++;
    } else if (c === CH_HASH) {
      end = text.indexOf('\n', i);
      if (end < 0) end = n;
      pushToken(out.comments, text, Comment, i, end);
    } else if (c === CH_QUOTE || (c === CH_F && text.charCodeAt(i + 1) === CH_QUOTE)) {
      const close = c === CH_QUOTE ? scanPlainString(text, i + 1) : scanFormatString(text, i + 2);
      end = close < 0 ? n : close;
      pushToken(out.tokens, text, close < 0 ? UnterminatedString : c === CH_QUOTE ? StringLit : FString, i, end);
    } else if (isIdentStart(c)) {
      while (end < n && isIdentPart(text.charCodeAt(end))) end++;
      pushToken(out.tokens, text, Ident, i, end);
    } else if (c === CH_COLON && (text.charCodeAt(i + 1) === CH_MINUS || text.charCodeAt(i + 1) === CH_COLON)) {
      end = i + 2;
      pushToken(out.tokens, text, text.charCodeAt(i + 1) === CH_MINUS ? Implies : ColonColon, i, end);
    } else if (c === CH_BANG) {
      if (text.charCodeAt(i + 1) === CH_EQUALS) end = i + 2;
      pushToken(out.tokens, text, end === i + 2 ? NotEquals : Bang, i, end);
    } else if (SINGLE_CHAR_TOKENS.has(c)) {
      pushToken(out.tokens, text, SINGLE_CHAR_TOKENS.get(c)!, i, end);
      if (toDot && c === CH_DOT) return end;
    } else if (c === CH_COLON || beginsStray(c)) {
      while (c !== CH_COLON && end < n && !TOKEN_START.test(text[end]!)) end++;
      pushToken(out.tokens, text, Stray, i, end);
    } else {
      out.errors.push({ offset: i, length: 1 });
    }
    i = end;
  }
  return n;
}

interface LexResult {
  tokens: IToken[];
  /** `#` comments in source order (outside the token stream the parser sees). */
  comments: IToken[];
  diagnostics: Diagnostic[];
}

function describeChar(text: string, offset: number): string {
  const code = text.codePointAt(offset) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `character \`${String.fromCodePoint(code)}\``;
}

function lexingErrorDiagnostic(file: SourceFile, start: number, length: number): Diagnostic {
  return {
    severity: 'error',
    message: `unexpected ${describeChar(file.text, start)}`,
    span: { start, end: Math.min(file.text.length, start + Math.max(1, length)) },
    file,
  };
}

/** Tokens of a Modusfile or goal; unterminated strings and stray characters become diagnostics. */
export function tokenize(file: SourceFile): LexResult {
  return lexResult(file, scanTokens(file.text));
}

/**
 * The tokens of one clause (up to and including its `.`, or to the end of the file) from offset
 * `from`, with the comments and lexing diagnostics met on the way, and where the next clause
 * starts. Read clause after clause, a large file's tokens are never all held at once (holding
 * them made the garbage collector copy them all, twice).
 */
export function tokenizeClause(file: SourceFile, from: number): LexResult & { next: number } {
  const scanned: Scanned = { tokens: [], comments: [], errors: [] };
  const next = scanFrom(file.text, from, scanned, true);
  const { tokens, comments, diagnostics } = lexResult(file, scanned);
  return { tokens, comments, diagnostics, next };
}

function lexResult(file: SourceFile, result: Scanned): LexResult {
  if (result.errors.length === 0 && !hasStrayOrUnterminated(result.tokens)) return { tokens: result.tokens, comments: result.comments, diagnostics: [] };
  const diagnostics = result.errors.map((e) => lexingErrorDiagnostic(file, e.offset, e.length));
  const tokens = result.tokens.some((token) => token.tokenType === Stray) ? withoutStrays(result.tokens, file, diagnostics) : result.tokens;
  diagnostics.sort((a, b) => a.span!.start - b.span!.start);
  // An unterminated string swallows the rest of the input, so it can only be the last token.
  const last = tokens[tokens.length - 1];
  if (last && last.tokenType === UnterminatedString) {
    tokens.pop();
    diagnostics.push({
      severity: 'error',
      message: 'unterminated string: the closing `"` is missing',
      span: { start: last.startOffset, end: last.startOffset + (last.image.startsWith('f') ? 2 : 1) },
      file,
    });
  }
  return { tokens, comments: result.comments, diagnostics };
}

function hasStrayOrUnterminated(tokens: readonly IToken[]): boolean {
  for (const token of tokens) if (token.tokenType === Stray || token.tokenType === UnterminatedString) return true;
  return false;
}

/** The tokens but the stray ones, each run of adjacent stray tokens reported as one error. */
function withoutStrays(scanned: readonly IToken[], file: SourceFile, diagnostics: Diagnostic[]): IToken[] {
  let previousStray: Diagnostic | undefined;
  return scanned.filter((token) => {
    if (token.tokenType !== Stray) return true;
    if (previousStray && previousStray.span!.end === token.startOffset) {
      previousStray.span!.end = tokenEnd(token);
    } else {
      previousStray = lexingErrorDiagnostic(file, token.startOffset, token.image.length);
      diagnostics.push(previousStray);
    }
    return false;
  });
}

/** Exclusive end offset of a token. */
export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}
