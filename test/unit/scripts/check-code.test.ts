/** scripts/check-code.mjs on a small project: dead exports, types as much as values, unused files, cycles. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.join(__dirname, '../../../scripts/check-code.mjs');

function checkProject(files: Record<string, string>): { code: number; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-check-code-'));
  try {
    const all = { 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', types: [] }, include: ['frontend'] }), ...files };
    for (const [name, text] of Object.entries(all)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const result = spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8', timeout: 60_000 });
    return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('an exported type no other file imports is reported, as an exported value is; a type used elsewhere is not', () => {
  const r = checkProject({
    'frontend/main.ts': "import { used, type Shared } from './a';\nconst x: Shared = used();\nx.n;\n",
    'frontend/a.ts': [
      'export interface Shared { n: number }',
      'export interface Dead { s: string }',
      'export type DeadAlias = string;',
      'export function used(): Shared { return { n: 1 }; }',
      'export function deadValue(): number { return 2; }',
      '',
    ].join('\n'),
  });
  expect(r.code).toBe(1);
  expect(r.output).toContain('frontend/a.ts:2: export Dead is not imported by any other file');
  expect(r.output).toContain('frontend/a.ts:3: export DeadAlias is not imported by any other file');
  expect(r.output).toContain('frontend/a.ts:5: export deadValue is not imported by any other file');
  expect(r.output).not.toContain('Shared');
  expect(r.output).toContain('3 problem(s)');
}, 60_000);

test('a clean project passes; a cycle and an unused file do not', () => {
  expect(checkProject({ 'frontend/main.ts': "import { f } from './a';\nf();\n", 'frontend/a.ts': 'export function f(): void {}\n' }).code).toBe(0);
  const r = checkProject({
    'frontend/main.ts': "import { f } from './a';\nf();\n",
    'frontend/a.ts': "import type { T } from './b';\nexport function f(): T | void {}\n",
    'frontend/b.ts': "import type { f } from './a';\nexport type T = typeof f;\n",
    'frontend/lonely.ts': 'export const lonely = 1;\n',
  });
  expect(r.output).toContain('import cycle: frontend/a.ts → frontend/b.ts');
  expect(r.output).toContain('frontend/lonely.ts: no file imports it');
}, 60_000);
