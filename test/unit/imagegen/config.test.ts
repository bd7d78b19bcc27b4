import {
  absoluteWorkdir,
  appendPath,
  inheritConfig,
  resolvePath,
  scratchConfig,
  setCmd,
  setEntrypoint,
  setEnv,
  setWorkdir,
  type ImageConfig,
} from '../../../frontend/imagegen/config';
import { parseDockerignore } from '../../../frontend/imagegen/dockerignore';

const amd64 = { os: 'linux', architecture: 'amd64' };
const base: ImageConfig = {
  architecture: 'arm64',
  os: 'linux',
  variant: 'v8',
  created: '2024-01-01T00:00:00Z',
  config: { Env: ['PATH=/bin', 'A=1'], WorkingDir: 'app', Cmd: ['sh'] },
  rootfs: { type: 'layers', diff_ids: ['sha256:1'] },
};

test('a base configuration is inherited without its creation time, on the target platform', () => {
  const inherited = inheritConfig(base, amd64);
  expect(inherited).toMatchObject({ architecture: 'amd64', os: 'linux', config: base.config, rootfs: base.rootfs });
  expect(inherited).not.toHaveProperty('created');
  expect(inherited).not.toHaveProperty('variant');
  expect(base.created).toBe('2024-01-01T00:00:00Z');
  expect(scratchConfig({ ...amd64, variant: 'v2' })).toEqual({ architecture: 'amd64', os: 'linux', variant: 'v2', config: {}, rootfs: { type: 'layers', diff_ids: [] } });
});

test('set_env replaces an entry in place, append_path extends PATH, and neither changes its input', () => {
  const changed = appendPath(setEnv(base, 'A', '2'), '/opt/bin');
  expect(changed.config.Env).toEqual(['PATH=/bin:/opt/bin', 'A=2']);
  expect(setEnv(base, 'B', 'x').config.Env).toEqual(['PATH=/bin', 'A=1', 'B=x']);
  expect(base.config.Env).toEqual(['PATH=/bin', 'A=1']);
});

test('working directories resolve against the current one; an entrypoint clears the command', () => {
  expect(absoluteWorkdir(base)).toBe('/app');
  expect(absoluteWorkdir(scratchConfig(amd64))).toBe('/');
  expect(setWorkdir(base, 'src').config.WorkingDir).toBe('/app/src');
  expect(setWorkdir(base, '/srv').config.WorkingDir).toBe('/srv');
  expect(resolvePath('/app', 'out/')).toBe('/app/out/');
  expect(resolvePath('/app', '../')).toBe('/');
  expect(setEntrypoint(base, ['/run']).config).toMatchObject({ Entrypoint: ['/run'], Cmd: null });
  expect(setCmd(setEntrypoint(base, ['/run']), ['x']).config).toMatchObject({ Entrypoint: ['/run'], Cmd: ['x'] });
});

test('.dockerignore: comments and blanks skipped, paths cleaned, exceptions kept', () => {
  expect(parseDockerignore('# comment\n\n  /node_modules  \n./dist/\n!dist/keep\r\na/../b\n/\n')).toEqual(['node_modules', 'dist', '!dist/keep', 'b']);
});
