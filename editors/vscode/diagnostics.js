// The output of `modus check --json` as editor diagnostics: 0-based lines and characters, as
// VS Code counts them (UTF-16 code units, like modus). No dependency on the editor, so that it is
// tested without one (test/unit/editor).
'use strict';

const SEVERITIES = { error: 'error', warning: 'warning', note: 'information' };

/**
 * @param {string} stdout what `modus check --json` printed
 * @returns {{range: {start: {line: number, character: number}, end: {line: number, character: number}},
 *   severity: 'error' | 'warning' | 'information', code: string, message: string}[] | undefined}
 *   undefined when the output is not the JSON of `check --json` (an old or missing modus)
 */
function editorDiagnostics(stdout) {
  let parsed;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (!parsed || !Array.isArray(parsed.diagnostics)) return undefined;
  return parsed.diagnostics.map((d) => ({
    range: {
      start: { line: d.line - 1, character: d.column - 1 },
      end: { line: d.endLine - 1, character: d.endColumn - 1 },
    },
    severity: SEVERITIES[d.severity] || 'error',
    code: d.code,
    message: d.message,
  }));
}

module.exports = { editorDiagnostics };
