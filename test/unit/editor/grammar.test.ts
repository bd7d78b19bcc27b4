/**
 * The VS Code extension's TextMate grammar, run by the engine VS Code itself uses (vscode-textmate
 * with the Oniguruma regular expressions in WebAssembly), on the examples and the sample.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';

const EXTENSION = path.join(__dirname, '../../../editors/vscode');
const ROOT = path.join(__dirname, '../../..');

let grammar: IGrammar;

beforeAll(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName !== 'source.modus') return null;
      const file = path.join(EXTENSION, 'syntaxes/modus.tmLanguage.json');
      return parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  grammar = (await registry.loadGrammar('source.modus'))!;
});

interface Token {
  text: string;
  /** The innermost scope without the `.modus` suffix, e.g. `variable.other`. */
  scope: string;
  scopes: string[];
}

function tokenize(text: string): Token[][] {
  let state = INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens
      .map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes, scope: t.scopes[t.scopes.length - 1]!.replace(/\.modus$/, '') }))
      .filter((t) => t.text.trim() !== '');
  });
}

/** The scope of every token with this text in the text, in order. */
function scopesOf(text: string, word: string): string[] {
  return tokenize(text)
    .flat()
    .filter((t) => t.text === word)
    .map((t) => t.scope);
}

describe('the TextMate grammar (scopeName source.modus)', () => {
  test('the manifest ties the grammar and the language configuration to Modusfile and *.Modusfile', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({ id: 'modus', filenames: ['Modusfile'], filenamePatterns: ['*.Modusfile'] });
    expect(manifest.contributes.grammars).toEqual([{ language: 'modus', scopeName: 'source.modus', path: './syntaxes/modus.tmLanguage.json' }]);
    const configuration = JSON.parse(fs.readFileSync(path.join(EXTENSION, language.configuration), 'utf8'));
    expect(configuration.comments).toEqual({ lineComment: '#' });
    expect(configuration.brackets).toContainEqual(['(', ')']);
  });

  test('comments, including the syntax line and comments inside an interpolation', () => {
    const lines = tokenize('# syntax=modus-frontend:dev\na :- b. # trailing\nc :- run(f"${ x # why\n}").');
    expect(lines[0]!.map((t) => t.scope)).toEqual(['punctuation.definition.comment', 'comment.line.number-sign']);
    expect(lines[1]!.slice(-2).map((t) => [t.text, t.scope])).toEqual([
      ['#', 'punctuation.definition.comment'],
      [' trailing', 'comment.line.number-sign'],
    ]);
    expect(lines[2]!.find((t) => t.text === ' why')!.scopes).toContain('meta.interpolation.modus');
  });

  test('strings, escapes and f-string interpolations', () => {
    const [line] = tokenize('a :- run(f"echo ${mode} \\${not} \\"q\\""), copy("a\\tb", "/c").');
    const interesting = line!.filter((t) => !t.scope.startsWith('punctuation.section.arguments'));
    expect(interesting.map((t) => [t.text, t.scope])).toEqual([
      ['a', 'entity.name.function.predicate'],
      [':-', 'keyword.operator.definition'],
      ['run', 'support.function.builtin'],
      ['f', 'storage.type.string.format'],
      ['"', 'punctuation.definition.string.begin'],
      ['echo ', 'string.quoted.double.format'],
      ['${', 'punctuation.section.interpolation.begin'],
      ['mode', 'variable.other'],
      ['}', 'punctuation.section.interpolation.end'],
      ['\\$', 'constant.character.escape'],
      ['{not} ', 'string.quoted.double.format'],
      ['\\"', 'constant.character.escape'],
      ['q', 'string.quoted.double.format'],
      ['\\"', 'constant.character.escape'],
      ['"', 'punctuation.definition.string.end'],
      [',', 'punctuation.separator.and'],
      ['copy', 'support.function.builtin'],
      ['"', 'punctuation.definition.string.begin'],
      ['a', 'string.quoted.double'],
      ['\\t', 'constant.character.escape'],
      ['b', 'string.quoted.double'],
      ['"', 'punctuation.definition.string.end'],
      [',', 'punctuation.separator.arguments'],
      ['"', 'punctuation.definition.string.begin'],
      ['/c', 'string.quoted.double'],
      ['"', 'punctuation.definition.string.end'],
      ['.', 'punctuation.terminator.clause'],
    ]);
  });

  test('operators: :- , ; ! = != and :: with known and unknown operator names', () => {
    const text = 'a(x) :- b, !c(x); x = "1", x != y, (d)::set_workdir("/w")::merge::custom_op.';
    const scopes = Object.fromEntries(tokenize(text)[0]!.map((t) => [t.text, t.scope]));
    expect(scopes).toMatchObject({
      ':-': 'keyword.operator.definition',
      ',': 'punctuation.separator.and',
      ';': 'keyword.operator.logical.or',
      '!': 'keyword.operator.logical.negation',
      '=': 'keyword.operator.unification',
      '!=': 'keyword.operator.comparison',
      '::': 'keyword.operator.application',
      set_workdir: 'support.function.operator',
      merge: 'support.function.operator',
      custom_op: 'entity.name.function.operator',
    });
  });

  test('variables (arguments, both sides of = and !=, `_`) versus predicates (heads, body literals)', () => {
    const text = 'app(mode) :- base(img), from(img), ready, mode = other, _ = mode, x != y, !broken(mode).';
    expect(scopesOf(text, 'mode')).toEqual(['variable.other', 'variable.other', 'variable.other', 'variable.other']);
    expect(scopesOf(text, 'img')).toEqual(['variable.other', 'variable.other']);
    expect(scopesOf(text, 'other')).toEqual(['variable.other']);
    expect(scopesOf(text, '_')).toEqual(['variable.language.anonymous']);
    expect(scopesOf(text, 'y')).toEqual(['variable.other']);
    expect(scopesOf(text, 'app')).toEqual(['entity.name.function.predicate']);
    expect(scopesOf(text, 'base')).toEqual(['entity.name.function.predicate']);
    expect(scopesOf(text, 'ready')).toEqual(['entity.name.function.predicate']);
    expect(scopesOf(text, 'broken')).toEqual(['entity.name.function.predicate']);
    expect(scopesOf(text, 'from')).toEqual(['support.function.builtin']);
  });

  test.each([['examples/hello/Modusfile'], ['editors/vscode/samples/sample.Modusfile']])('%s: every token has a scope, names are predicates or variables', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const tokens = tokenize(text).flat();
    const unscoped = tokens.filter((t) => t.scopes.length < 2 && !/^\s*$/.test(t.text));
    expect(unscoped).toEqual([]);
    const names = tokens.filter((t) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(t.text) && !t.scopes.some((s) => s.startsWith('string') || s.startsWith('comment')));
    const kinds = new Set(names.map((t) => t.scope.split('.').slice(0, 2).join('.')));
    expect([...kinds].every((k) => ['entity.name', 'support.function', 'variable.other', 'variable.language', 'storage.type'].includes(k))).toBe(true);
  });

  test('the example: greeting is a predicate, lang and word variables, the interpolation scoped', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples/hello/Modusfile'), 'utf8');
    expect(new Set(scopesOf(text, 'greeting'))).toEqual(new Set(['entity.name.function.predicate']));
    expect(new Set(scopesOf(text, 'lang'))).toEqual(new Set(['variable.other']));
    expect(new Set(scopesOf(text, 'word'))).toEqual(new Set(['variable.other']));
    expect(scopesOf(text, 'set_entrypoint')).toEqual(['support.function.operator']);
  });
});

describe('the extension reads modus check --json', () => {
  const { editorDiagnostics } = require(path.join(EXTENSION, 'diagnostics.js')) as {
    editorDiagnostics(stdout: string): { range: unknown; severity: string; code: string; message: string }[] | undefined;
  };

  test('positions become 0-based ranges, note becomes information', () => {
    const stdout = JSON.stringify({
      diagnostics: [
        { file: 'Modusfile', line: 2, column: 23, endLine: 2, endColumn: 26, severity: 'error', code: 'SyntaxError', message: 'm' },
        { file: 'Modusfile', line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'note', code: 'StaticCheck', message: 'n' },
      ],
    });
    expect(editorDiagnostics(stdout)).toEqual([
      { range: { start: { line: 1, character: 22 }, end: { line: 1, character: 25 } }, severity: 'error', code: 'SyntaxError', message: 'm' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'information', code: 'StaticCheck', message: 'n' },
    ]);
  });

  test('output that is not check --json is ignored', () => {
    expect(editorDiagnostics('')).toBeUndefined();
    expect(editorDiagnostics('modus: unknown option --json')).toBeUndefined();
    expect(editorDiagnostics('{"other": 1}')).toBeUndefined();
  });
});
