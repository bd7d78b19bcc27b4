import { formatOptions, optionValue, optionValues, parseArgs, UsageError, type OptionSpec } from '../../../frontend/cli/args';
import { closestMatch, editDistance } from '../../../frontend/diagnostics/suggest';
import { workspace, type Workspace } from './harness';

const SPECS: readonly OptionSpec[] = [
  { name: 'file', alias: 'f', longAliases: ['modusfile'], value: true, valueName: 'FILE', description: 'the Modusfile' },
  { name: 'tag', alias: 't', value: true, repeatable: true, description: 'a tag' },
  { name: 'json', description: 'JSON output' },
  { name: 'no-cache', description: 'fresh' },
];

function usageMessage(argv: string[]): string {
  try {
    parseArgs(argv, SPECS);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('no usage error');
}

describe('option parsing', () => {
  test('long, short, inline and attached values; every long name reads the same value', () => {
    for (const argv of [['-f', 'x'], ['-fx'], ['--file', 'x'], ['--file=x'], ['--modusfile', 'x'], ['--modusfile=x']]) {
      const args = parseArgs(argv, SPECS);
      expect([optionValue(args, 'file'), optionValue(args, 'modusfile')]).toEqual(['x', 'x']);
    }
  });

  test('flags, repeatable options, positionals and `--`', () => {
    const args = parseArgs(['ctx', '-t', 'a', '--json', '--tag=b', '-', '--', '--no-cache'], SPECS);
    expect(optionValues(args, 'tag')).toEqual(['a', 'b']);
    expect(args.flags.has('json')).toBe(true);
    expect(args.flags.has('no-cache')).toBe(false);
    expect(args.positionals).toEqual(['ctx', '-', '--no-cache']);
  });

  test('mistakes are usage errors, with a suggestion when one is close', () => {
    expect(usageMessage(['--jsn'])).toBe('unknown option --jsn (did you mean --json?)');
    expect(usageMessage(['--no-cahce'])).toBe('unknown option --no-cahce (did you mean --no-cache?)');
    expect(usageMessage(['--modus'])).toBe('unknown option --modus (did you mean --modusfile?)');
    expect(usageMessage(['--completely-else'])).toBe('unknown option --completely-else');
    expect(usageMessage(['-x'])).toBe('unknown option -x (did you mean -f?)');
    expect(usageMessage(['--json=yes'])).toBe('option --json takes no value');
    expect(usageMessage(['-f'])).toBe('option -f needs a value');
    expect(usageMessage(['-f', 'a', '--file', 'b'])).toBe('option --file given twice');
  });

  test('help lists every name of an option', () => {
    expect(formatOptions(SPECS).split('\n')[0]).toBe('  -f, --file, --modusfile FILE  the Modusfile');
  });
});

describe('suggestions', () => {
  test('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('build', 'biuld')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('check', 'check')).toBe(0);
  });

  test('only close candidates, or the one that starts with the word', () => {
    expect(closestMatch('bild', ['check', 'build'])).toBe('build');
    expect(closestMatch('xyz', ['check', 'build'])).toBeUndefined();
    expect(closestMatch('tr', ['transpile', 'check'])).toBe('transpile');
  });
});

describe('the program', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = workspace();
    ws.write('Modusfile', 'a.\n');
  });
  afterEach(() => ws.remove());

  test('an unknown command: a suggestion and the usage line, not the whole help', async () => {
    expect(await ws.run(['bild'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'modus: unknown command `bild` (did you mean `build`?)\nUsage: modus <command> [options]\nRun `modus help` for more information.\n',
    });
  });

  test('a wrong option: the problem and the command usage line', async () => {
    const r = await ws.run(['check', '--verbos']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('modus check: unknown option --verbos (did you mean --verbose?)\nUsage: modus check [-f FILE] [-v] [--json] [CONTEXT]\nRun `modus help check` for more information.\n');
  });

  test('an unknown goal predicate: the close one, or the same name with its arity', async () => {
    ws.write('Modusfile', 'hello(lang) :- from("a"), lang = "en".\nother :- from("b").\n');
    const typo = await ws.run(['proof', 'helo(X)']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/^goal:1:1: error: unknown predicate `helo\/1`/);
    expect(typo.stderr).toContain('= note: did you mean `hello/1`?');
    expect((await ws.run(['proof', 'hello'])).stderr).toContain('did you mean `hello/1`?');
    expect((await ws.run(['proof', 'zzz(X)'])).stderr).not.toContain('did you mean');
  });

  test('help CMD, version, and --file as docker spells it', async () => {
    const help = await ws.run(['help', 'check']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: modus check/);
    expect((await ws.run(['help', 'chek'])).stderr).toMatch(/^modus: no command `chek` \(did you mean `check`\?\)/);
    expect((await ws.run(['help'])).stdout).toMatch(/^modus: build container images/);
    expect((await ws.run(['version'])).stdout).toMatch(/^modus \d+\.\d+\.\d+\n$/);
    ws.write('other.Modusfile', 'b :- c(.\n');
    for (const flag of ['--file', '-f', '--modusfile']) {
      const r = await ws.run(['check', flag, 'other.Modusfile']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('other.Modusfile:1:8: error');
    }
  });
});
