/**
 * bin/modus loads dist/modus.js with the V8 code cache `npm run build` writes beside it, and only
 * when the cache belongs to that bundle; a stale or truncated cache is ignored.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const BUNDLE = path.join(ROOT, 'dist/modus.js');
const describeBundle = fs.existsSync(BUNDLE) ? describe : describe.skip;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-code-cache-'));
  for (const file of ['bin/modus', 'bin/code-cache.js', 'dist/modus.js']) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  fs.writeFileSync(path.join(dir, 'Modusfile'), 'a("1").\nb(X) :- a(X).\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function node(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const proof = () => node(['bin/modus', 'proof', '--json', 'b(X)']);
const EXPECTED = { code: 0, stdout: '{"solutions": [{"literal": "b(\\"1\\")", "predicate": "b", "args": ["1"], "layers": 0}]}\n', stderr: '' };

/** Writes the cache (warm-up: one proof), then reports whether it is read and whether V8 takes it. */
const WRITE_AND_PROBE = `
const { writeCodeCache, readCache } = require('./bin/code-cache.js');
const bundle = require('path').resolve('dist/modus.js');
const io = { stdout: () => {}, stderr: () => {}, env: {}, cwd: process.cwd(), isTTY: false };
writeCodeCache(bundle, ({ main }) => main(['proof', 'b(X)'], io)).then(() => {
  const data = readCache(bundle);
  const script = new (require('vm').Script)(require('module').wrap(require('fs').readFileSync(bundle, 'utf8')), { cachedData: data });
  console.log(JSON.stringify({ read: data !== undefined, rejected: script.cachedDataRejected }));
});`;
const PROBE = `console.log(require('./bin/code-cache.js').readCache(require('path').resolve('dist/modus.js')) !== undefined)`;

describeBundle('the code cache of bin/modus', () => {
  test('without a cache the program runs as it is', () => {
    expect(proof()).toEqual(EXPECTED);
  });

  test('a cache written for the bundle is read and accepted by V8', () => {
    expect(JSON.parse(node(['-e', WRITE_AND_PROBE]).stdout)).toEqual({ read: true, rejected: false });
    expect(proof()).toEqual(EXPECTED);
  });

  test('a cache is not read once the bundle changes', () => {
    node(['-e', WRITE_AND_PROBE]);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'dist/modus.js'), later, later);
    expect(node(['-e', PROBE]).stdout.trim()).toBe('false');
    expect(proof()).toEqual(EXPECTED);
  });

  test('without the bundle (not built yet) bin/modus says how to make it, without a stack trace', () => {
    fs.rmSync(path.join(dir, 'dist/modus.js'));
    const r = node(['bin/modus', 'check']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `modus: ${path.join(fs.realpathSync(dir), 'dist/modus.js')} is missing: build it with \`npm run build\`\n` });
  });

  test('a cache cut short (an interrupted write) is refused by V8 and the program still runs', () => {
    node(['-e', WRITE_AND_PROBE]);
    const cache = path.join(dir, 'dist/modus.js.cache');
    const data = fs.readFileSync(cache);
    fs.writeFileSync(cache, data.subarray(0, data.length >> 1));
    expect(proof()).toEqual(EXPECTED);
  });
});
