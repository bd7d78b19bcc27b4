import { buildArgs, cacheImports, Caps, parseFrontendEnv } from '../../../frontend/gateway';

describe('parseFrontendEnv', () => {
  it('splits on the first =, sorts keys bytewise and keeps integer-like keys in that order', () => {
    const env = parseFrontendEnv({
      BUILDKIT_FRONTEND_OPT_1: 'build-arg:X=a=b',
      BUILDKIT_FRONTEND_OPT_0: 'target=app("prod")',
      BUILDKIT_FRONTEND_OPT_2: 'no-cache',
      BUILDKIT_FRONTEND_OPT_3: '10=x',
      BUILDKIT_FRONTEND_OPT_4: '9=y',
      BUILDKIT_SESSION_ID: 's',
      BUILDKIT_EXPORTEDPRODUCT: 'docker',
      OTHER: 'ignored',
    });
    expect([...env.opts]).toEqual([
      ['10', 'x'],
      ['9', 'y'],
      ['build-arg:X', 'a=b'],
      ['no-cache', ''],
      ['target', 'app("prod")'],
    ]);
    expect(env.sessionId).toBe('s');
    expect(env.exportedProduct).toBe('docker');
    expect([...buildArgs(env.opts)]).toEqual([['X', 'a=b']]);
  });

  it('lets the higher index win for a repeated key (deterministically)', () => {
    const env = parseFrontendEnv({ BUILDKIT_FRONTEND_OPT_10: 'k=late', BUILDKIT_FRONTEND_OPT_2: 'k=early' });
    expect(env.opts.get('k')).toBe('late');
  });

  it('reads cache imports from cache-imports JSON and the legacy cache-from list', () => {
    const opts = new Map([
      ['cache-imports', '[{"Type":"local","Attrs":{"src":"/c"}}]'],
      ['cache-from', 'reg/a:1, reg/b:2,'],
    ]);
    expect(cacheImports(opts)).toEqual([
      { type: 'local', attrs: { src: '/c' } },
      { type: 'registry', attrs: { ref: 'reg/a:1' } },
      { type: 'registry', attrs: { ref: 'reg/b:2' } },
    ]);
  });
});

describe('Caps', () => {
  it('counts only enabled caps', () => {
    const caps = Caps.fromPing([{ ID: 'readfile', Enabled: true }, { ID: 'gateway.evaluate', Enabled: false }], [{ ID: 'mergeop', Enabled: true }]);
    expect(caps.api.has('readfile')).toBe(true);
    expect(caps.has('gateway.evaluate')).toBe(false);
    expect(caps.llb.has('mergeop')).toBe(true);
    expect(caps.llb.missing(['mergeop', 'diffop'])).toEqual(['diffop']);
  });

  it('assumes the pre-caps defaults when the daemon lists none', () => {
    const caps = Caps.fromPing([], undefined);
    expect(caps.api.list()).toEqual(['readfile', 'resolveimage', 'solve.base', 'solve.inlinereturn']);
    expect(caps.llb.has('exec.mount.bind')).toBe(true);
    expect(caps.llb.has('mergeop')).toBe(false);
  });

  it('prefers the canonical LLB encoding on BuildKit >= 0.17', () => {
    expect(Caps.fromPing([], [{ ID: 'exec.validexitcode', Enabled: true }]).prefersCanonicalEncoding()).toBe(true);
    expect(Caps.fromPing([], [{ ID: 'exec.mount.bind', Enabled: true }]).prefersCanonicalEncoding()).toBe(false);
  });
});
