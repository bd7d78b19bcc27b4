import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { explainCacheReport, explainStatePath } from '../../../frontend/cli/explain-cache';

const STEP = 'app › run("wget -q -O /d http://127.0.0.1:1/d") Modusfile:3:4';
const log = (answer: string, digest: string, end: string) => `#7 ${STEP} [probe "${answer}" ${digest}]\n#7 sha256:00\n#7 ${end}\n`;

describe('modus build --explain-cache state', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modus-explain-'));
  const env = { MODUS_CACHE_DIR: dir };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the state file lives under MODUS_CACHE_DIR, else XDG_CACHE_HOME/modus, else ~/.cache/modus', () => {
    expect(explainStatePath(env)).toBe(path.join(dir, 'explain.json'));
    expect(explainStatePath({ XDG_CACHE_HOME: '/x' })).toBe('/x/modus/explain.json');
    expect(explainStatePath({ HOME: '/home/u' })).toBe('/home/u/.cache/modus/explain.json');
  });

  test('the second build is explained against the first, per image literal', () => {
    const first = explainCacheReport('/ctx/Modusfile', [{ literal: 'app', log: log('one', '2c8b08da5ce6', 'DONE 0.2s') }], env);
    expect(first).toBe(`modus build: cache of app\n  ${STEP}\n      run: no previous build to compare with\n`);
    const other = explainCacheReport('/ctx/Modusfile', [{ literal: 'other', log: log('one', '2c8b08da5ce6', 'DONE 0.2s') }], env);
    expect(other).toContain('no previous build');
    const second = explainCacheReport('/ctx/Modusfile', [{ literal: 'app', log: log('two', '27dd8ed44a83', 'DONE 0.2s') }], env);
    expect(second).toContain('run: probe answer changed ("one" 2c8b08da5ce6 → "two" 27dd8ed44a83)');
    const third = explainCacheReport('/ctx/Modusfile', [{ literal: 'app', log: log('two', '27dd8ed44a83', 'CACHED') }], env);
    expect(third).toContain('reused (CACHED)');
  });

  test('an unreadable state file counts as no previous build', () => {
    fs.writeFileSync(explainStatePath(env), 'not json');
    expect(explainCacheReport('/ctx/Modusfile', [{ literal: 'app', log: log('one', '2c8b08da5ce6', 'DONE 0.1s') }], env)).toContain('no previous build');
    expect(JSON.parse(fs.readFileSync(explainStatePath(env), 'utf8'))).toHaveProperty(['/ctx/Modusfile\u0000app']);
  });
});
