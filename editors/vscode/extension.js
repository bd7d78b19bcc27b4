// Shows the findings of `modus check --json` as problems when a Modusfile is opened or saved.
// No language server: the check runs the modus program on the saved file, as a terminal would.
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

function activate(context) {
  const collection = vscode.languages.createDiagnosticCollection('modus');
  context.subscriptions.push(collection);

  const check = (document) => {
    if (document.languageId !== 'modus' || document.uri.scheme !== 'file') return;
    const config = vscode.workspace.getConfiguration('modus', document.uri);
    if (!config.get('checkOnSave', true)) return;
    const modus = config.get('path', 'modus') || 'modus';
    const file = document.fileName;
    execFile(modus, ['check', '--json', '-f', file], { cwd: path.dirname(file), timeout: 30000 }, (error, stdout) => {
      const found = editorDiagnostics(stdout);
      if (!found) {
        collection.delete(document.uri);
        if (error && error.code === 'ENOENT') vscode.window.showWarningMessage(`Modus: cannot run \`${modus}\` (set modus.path)`);
        return;
      }
      collection.set(
        document.uri,
        found.map((d) => {
          const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
          const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
          diagnostic.code = d.code;
          diagnostic.source = 'modus';
          return diagnostic;
        }),
      );
    });
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidSaveTextDocument(check),
    vscode.workspace.onDidCloseTextDocument((document) => collection.delete(document.uri)),
  );
  vscode.workspace.textDocuments.forEach(check);
}

function deactivate() {}

module.exports = { activate, deactivate };
