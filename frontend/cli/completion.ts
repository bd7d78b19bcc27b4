/**
 * Shell completion: `modus completion bash|zsh|fish` prints a script that asks
 * `modus __complete WORD...` for the candidates of the last word: commands, the options a
 * command's help lists, and goal predicates (the heads of the Modusfile's clauses).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSource, parseModusfile } from '../../grammar/index';
import type { Command } from './io';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

const SCRIPTS: Record<(typeof SHELLS)[number], string> = {
  bash: `# modus completion for bash: eval "$(modus completion bash)"
_modus() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" IFS=$'\\n' candidates
  candidates=$(modus __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  if [ -n "$candidates" ]; then
    COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _modus modus
`,
  zsh: `#compdef modus
# modus completion for zsh: eval "$(modus completion zsh)" (after compinit)
_modus() {
  local -a candidates
  candidates=("\${(@f)$(modus __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ -n "\${candidates[1]}" ]]; then
    compadd -- "\${candidates[@]}"
  else
    _files
  fi
}
compdef _modus modus
`,
  fish: `# modus completion for fish: modus completion fish | source
function __modus_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l candidates (modus __complete $words[2..-1] 2>/dev/null)
    if test (count $candidates) -gt 0
        printf '%s\\n' $candidates
    else
        __fish_complete_path (commandline -ct)
    end
end
complete -c modus -f -a '(__modus_complete)'
`,
};

export function completionScript(shell: string): string | undefined {
  return (SCRIPTS as Record<string, string>)[shell];
}

/** The options a command's help lists (`-f`, `--file`, ...). */
function optionsOf(command: Command): string[] {
  const section = command.usage.split('\nOptions:\n')[1] ?? '';
  return [...new Set([...section.matchAll(/(?:^|[\s,])(--?[A-Za-z][\w-]*)/gm)].map((m) => m[1]!))];
}

const GOAL_COMMANDS = new Set(['proof', 'build', 'bake', 'transpile', 'llb']);
const FILE_OPTIONS = new Set(['-f', '--file', '--modusfile']);

/** The predicates the Modusfile defines: `-f FILE` among the words, else CONTEXT/Modusfile or ./Modusfile. */
function goalPredicates(words: readonly string[], cwd: string): string[] {
  const fileIndex = words.findIndex((w) => FILE_OPTIONS.has(w));
  const given = fileIndex >= 0 ? words[fileIndex + 1] : words.find((w) => w.startsWith('--file=') || w.startsWith('--modusfile='))?.replace(/^[^=]*=/, '');
  const context = words.slice(1, -1).find((w, i, all) => !w.startsWith('-') && !FILE_OPTIONS.has(all[i - 1] ?? ''));
  const candidates = given ? [given] : [...(context ? [path.join(context, 'Modusfile')] : []), 'Modusfile'];
  for (const name of candidates) {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(path.resolve(cwd, name));
    } catch {
      continue;
    }
    const { file } = decodeSource(bytes, name);
    if (!file) return [];
    const heads = parseModusfile(file).ast.clauses.map((c) => c.head.name);
    return [...new Set(heads)].sort();
  }
  return [];
}

/** Candidates for the last of `words` (the words after `modus`), one per line; none means files. */
export function completions(words: readonly string[], commands: readonly Command[], extraCommands: readonly string[], cwd: string): string[] {
  const current = words[words.length - 1] ?? '';
  const names = [...commands.map((c) => c.name), ...extraCommands];
  const matching = (list: readonly string[]) => list.filter((c) => c.startsWith(current));
  if (words.length <= 1) return matching(names);
  const command = commands.find((c) => c.name === words[0]);
  const previous = words[words.length - 2]!;
  if (words[0] === 'help') return words.length === 2 ? matching(names) : [];
  if (words[0] === 'completion') return words.length === 2 ? matching(SHELLS) : [];
  if (!command || FILE_OPTIONS.has(previous)) return [];
  if (current.startsWith('-')) return matching(optionsOf(command));
  if (GOAL_COMMANDS.has(command.name)) return matching(goalPredicates(words, cwd));
  return [];
}
