/**
 * The VS Code extension's script (editors/vscode/extension.js) activated against a small fake of
 * the `vscode` module, with the real `modus` program (the bundle, dist/modus.js): opening, typing
 * in and saving a Modusfile sets the problems of its unsaved text. Skipped when dist is missing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startsProcesses } from '../../support/process-tests';

startsProcesses();

const ROOT = path.resolve(__dirname, '../../..');
const BUNDLE = path.join(ROOT, 'dist/modus.js');
const describeBundle = fs.existsSync(BUNDLE) ? describe : describe.skip;

type Listener = (event: unknown) => void;

interface FakeDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  severity: number;
  code?: string;
  source?: string;
}

/** Just the part of the `vscode` API the extension uses, recording what it is given. */
function fakeVscode(settings: Record<string, unknown>) {
  const listeners: Record<string, Listener[]> = {};
  const on = (name: string) => (listener: Listener) => {
    (listeners[name] ??= []).push(listener);
    return { dispose: () => undefined };
  };
  const problems = new Map<string, FakeDiagnostic[]>();
  const warnings: string[] = [];
  class Position {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  }
  class Range {
    readonly start: Position;
    readonly end: Position;
    constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
      this.start = new Position(startLine, startCharacter);
      this.end = new Position(endLine, endCharacter);
    }
  }
  class Diagnostic {
    code?: string;
    source?: string;
    constructor(
      readonly range: Range,
      readonly message: string,
      readonly severity: number,
    ) {}
  }
  const vscode = {
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    Range,
    Diagnostic,
    languages: {
      createDiagnosticCollection: () => ({
        set: (uri: { toString(): string }, diagnostics: FakeDiagnostic[]) => problems.set(uri.toString(), diagnostics),
        delete: (uri: { toString(): string }) => problems.delete(uri.toString()),
        dispose: () => undefined,
      }),
    },
    window: { showWarningMessage: (message: string) => void warnings.push(message) },
    workspace: {
      getConfiguration: () => ({ get: (key: string, fallback: unknown) => (key in settings ? settings[key] : fallback) }),
      onDidOpenTextDocument: on('open'),
      onDidSaveTextDocument: on('save'),
      onDidChangeTextDocument: on('change'),
      onDidCloseTextDocument: on('close'),
      textDocuments: [] as unknown[],
    },
  };
  const fire = (name: string, event: unknown) => (listeners[name] ?? []).forEach((listener) => listener(event));
  return { vscode, fire, problems, warnings };
}

/** A text document as the extension sees it; `text` is what the editor holds, saved or not. */
function document(fileName: string, text: string, languageId = 'modus') {
  const uri = { scheme: 'file', fsPath: fileName, toString: () => `file://${fileName}` };
  return { uri, fileName, languageId, text, getText(): string { return this.text; } };
}

async function until<T>(what: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the extension');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeBundle('the VS Code extension with a real modus', () => {
  let dir: string;
  let modus: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-vscode-'));
    modus = path.join(dir, 'modus');
    // The real program, behind a wrapper that counts its runs and is slow for a text saying `# slow`.
    fs.writeFileSync(
      modus,
      [
        '#!/bin/sh',
        `echo run >> "${dir}/runs"`,
        'input=$(cat)',
        'case "$input" in *"# slow"*) sleep 1;; esac',
        `printf '%s\\n' "$input" | exec "${process.execPath}" "${BUNDLE}" "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function activate(settings: Record<string, unknown> = {}) {
    const fake = fakeVscode({ path: modus, ...settings });
    let extension: { activate(context: { subscriptions: { dispose(): void }[] }): void } | undefined;
    jest.isolateModules(() => {
      jest.doMock('vscode', () => fake.vscode, { virtual: true });
      extension = require(path.join(ROOT, 'editors/vscode/extension.js'));
    });
    const context = { subscriptions: [] as { dispose(): void }[] };
    extension!.activate(context);
    return { ...fake, dispose: () => context.subscriptions.forEach((s) => s.dispose()) };
  }

  test('open, type, save: the problems of the unsaved text, with their ranges', async () => {
    const { fire, problems, dispose } = activate();
    const file = path.join(dir, 'Modusfile');
    fs.writeFileSync(file, 'app :- from("alpine").\n'); // on disk: clean; the editor's text is not
    const doc = document(file, 'app :- from("alpine") run("x").\n');
    fire('open', doc);
    const opened = await until(() => problems.get(doc.uri.toString()));
    expect(opened).toEqual([
      expect.objectContaining({
        range: { start: { line: 0, character: 22 }, end: { line: 0, character: 25 } },
        severity: 0,
        code: 'SyntaxError',
        source: 'modus',
        message: expect.stringMatching(/^expected .* but found `run`/),
      }),
    ]);

    doc.text = 'a :- b.\nb :- a.\n';
    fire('change', { document: doc, contentChanges: [{}] });
    const typed = await until(() => (problems.get(doc.uri.toString())?.[0]?.code !== 'SyntaxError' ? problems.get(doc.uri.toString()) : undefined));
    expect(typed.map((d) => [d.severity, d.range.start.line, d.range.start.character])).toEqual([
      [1, 0, 5],
      [1, 1, 5],
    ]);

    doc.text = 'app :- from("alpine").\n';
    fire('save', doc);
    await until(() => (problems.get(doc.uri.toString())?.length === 0 ? true : undefined));

    fire('close', doc);
    expect(problems.has(doc.uri.toString())).toBe(false);
    dispose();
  });

  const runs = (): number => (fs.existsSync(path.join(dir, 'runs')) ? fs.readFileSync(path.join(dir, 'runs'), 'utf8').split('\n').length - 1 : 0);

  test('quick typing: the text is checked once, after the typing stops', async () => {
    const { fire, problems, dispose } = activate();
    const before = runs();
    const doc = document(path.join(dir, 'typing.Modusfile'), '');
    for (const text of ['a :- ', 'a :- b(', 'a :- b("x")', 'a :- b("x").\nb(X).\n']) {
      doc.text = text;
      fire('change', { document: doc, contentChanges: [{}] });
    }
    const found = await until(() => problems.get(doc.uri.toString()));
    expect(found.map((d) => d.code)).toEqual(['SingletonVariable']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(runs() - before).toBe(1);
    dispose();
  });

  test('an older answer that arrives after a newer one is dropped', async () => {
    const { fire, problems, dispose } = activate();
    const doc = document(path.join(dir, 'race.Modusfile'), 'a :- . # slow\n');
    fire('save', doc);
    doc.text = 'a.\n';
    fire('save', doc);
    await until(() => (problems.get(doc.uri.toString())?.length === 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the slow, older check has ended by now
    expect(problems.get(doc.uri.toString())).toEqual([]);
    dispose();
  });

  test('closed and opened again: the answer to a check from before the close is dropped', async () => {
    const { fire, problems, dispose } = activate();
    const doc = document(path.join(dir, 'reopen.Modusfile'), 'a :- . # slow\n');
    fire('open', doc);
    fire('close', doc);
    doc.text = 'a.\n';
    fire('open', doc);
    await until(() => (problems.get(doc.uri.toString())?.length === 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the slow check from before the close has ended by now
    expect(problems.get(doc.uri.toString())).toEqual([]);
    dispose();
  });

  test('other languages and disabled settings are left alone; a missing modus warns once', async () => {
    const quiet = activate({ checkOnSave: false, checkWhileTyping: false });
    const doc = document(path.join(dir, 'Modusfile'), 'a :- .\n');
    quiet.fire('open', doc);
    quiet.fire('change', { document: doc, contentChanges: [{}] });
    quiet.fire('open', document(path.join(dir, 'x.txt'), 'a :- .\n', 'plaintext'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(quiet.problems.size).toBe(0);
    quiet.dispose();

    const missing = activate({ path: path.join(dir, 'no-such-modus') });
    missing.fire('open', doc);
    missing.fire('save', doc);
    await until(() => (missing.warnings.length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(missing.warnings).toEqual([`Modus: cannot run \`${path.join(dir, 'no-such-modus')}\` (set modus.path)`]);
    missing.dispose();
  });
});
