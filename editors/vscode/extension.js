// Shows the findings of `modus check --json` as problems while a Modusfile is edited. No language
// server: each check runs the modus program once on the editor's text (unsaved changes included),
// piped to `modus check --json -f - --stdin-filename FILE`.
'use strict';

const path = require('path');
const { execFile } = require('child_process');
const vscode = require('vscode');
const { editorDiagnostics } = require('./diagnostics');

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** Quiet time after the last keystroke before the text is checked. */
const TYPING_DELAY_MS = 300;

function toDiagnostic(found) {
  const { start, end } = found.range;
  const diagnostic = new vscode.Diagnostic(new vscode.Range(start.line, start.character, end.line, end.character), found.message, SEVERITY[found.severity]);
  diagnostic.code = found.code;
  diagnostic.source = 'modus';
  return diagnostic;
}

function activate(context) {
  const collection = vscode.languages.createDiagnosticCollection('modus');
  context.subscriptions.push(collection);
  /**
   * The latest check asked for each document: an older answer that arrives late is dropped. The
   * tickets never repeat, so a check from before a document was closed and opened again is older.
   */
  const latest = new Map();
  let lastTicket = 0;
  const timers = new Map();
  let warnedMissing = false;

  const settings = (document) => vscode.workspace.getConfiguration('modus', document.uri);
  const isModusfile = (document) => document.languageId === 'modus' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');

  const check = (document) => {
    const key = document.uri.toString();
    const ticket = ++lastTicket;
    latest.set(key, ticket);
    const modus = settings(document).get('path', 'modus') || 'modus';
    const options = { timeout: 30000, maxBuffer: 16 * 1024 * 1024 };
    if (document.uri.scheme === 'file') options.cwd = path.dirname(document.fileName);
    const child = execFile(modus, ['check', '--json', '-f', '-', '--stdin-filename', document.fileName], options, (error, stdout) => {
      if (latest.get(key) !== ticket) return;
      const found = editorDiagnostics(stdout);
      if (!found) {
        collection.delete(document.uri);
        if (error && error.code === 'ENOENT' && !warnedMissing) {
          warnedMissing = true;
          vscode.window.showWarningMessage(`Modus: cannot run \`${modus}\` (set modus.path)`);
        }
        return;
      }
      collection.set(document.uri, found.map(toDiagnostic));
    });
    // The program may exit before reading everything (a missing or old modus): not our failure.
    child.stdin.on('error', () => {});
    child.stdin.end(document.getText());
  };

  const checkNow = (document) => {
    if (!isModusfile(document) || !settings(document).get('checkOnSave', true)) return;
    clearTimeout(timers.get(document.uri.toString()));
    check(document);
  };

  const checkSoon = ({ document, contentChanges }) => {
    if (!isModusfile(document) || contentChanges.length === 0 || !settings(document).get('checkWhileTyping', true)) return;
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        check(document);
      }, TYPING_DELAY_MS),
    );
  };

  const forget = (document) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.delete(key);
    latest.delete(key);
    collection.delete(document.uri);
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(checkNow),
    vscode.workspace.onDidSaveTextDocument(checkNow),
    vscode.workspace.onDidChangeTextDocument(checkSoon),
    vscode.workspace.onDidCloseTextDocument(forget),
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
  );
  vscode.workspace.textDocuments.forEach(checkNow);
}

function deactivate() {}

module.exports = { activate, deactivate };
