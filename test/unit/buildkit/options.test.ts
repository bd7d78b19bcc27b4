import { OptionError, readBuildOptions } from '../../../frontend/buildkit/options';

const opts = (entries: Record<string, string>) => new Map(Object.entries(entries));

test('MODUS_CLOCK fixes the clock of cache_ttl', () => {
  expect(readBuildOptions(opts({ 'build-arg:MODUS_CLOCK': '3600' })).clock).toBe(3600);
  expect(readBuildOptions(opts({})).clock).toBeUndefined();
});

test('a MODUS_CLOCK that is not whole seconds is a user error naming it, not silently the real clock', () => {
  expect(() => readBuildOptions(opts({ 'build-arg:MODUS_CLOCK': 'noon' }))).toThrow(OptionError);
  expect(() => readBuildOptions(opts({ 'build-arg:MODUS_CLOCK': 'noon' }))).toThrow(/invalid MODUS_CLOCK `noon`/);
});

test('MODUS_CACHE_REPO and MODUS_RESOLVE_TIMEOUT_MS are read with the other options', () => {
  const read = readBuildOptions(opts({ 'build-arg:MODUS_CACHE_REPO': ' host/repo ', 'build-arg:MODUS_RESOLVE_TIMEOUT_MS': '1500' }));
  expect(read.cacheRepo).toBe('host/repo');
  expect(read.resolveTimeoutMs).toBe(1500);
  expect(readBuildOptions(opts({ 'build-arg:MODUS_CACHE_REPO': ' ' })).cacheRepo).toBeUndefined();
});

test('a MODUS_RESOLVE_TIMEOUT_MS that is not a positive whole number is a user error naming it', () => {
  for (const bad of ['0', '-5', '1.5', 'soon']) {
    expect(() => readBuildOptions(opts({ 'build-arg:MODUS_RESOLVE_TIMEOUT_MS': bad }))).toThrow(`invalid MODUS_RESOLVE_TIMEOUT_MS \`${bad}\``);
  }
});

test('cost and budget are read as the modus program reads them', () => {
  expect(readBuildOptions(opts({ 'build-arg:MODUS_COST': 'height', 'build-arg:MODUS_BUDGET': '20' }))).toMatchObject({ cost: 'height', budget: 20 });
  expect(() => readBuildOptions(opts({ 'build-arg:MODUS_COST': 'cheap' }))).toThrow('invalid MODUS_COST `cheap`: expected one of layers, height, first, available');
  expect(() => readBuildOptions(opts({ 'build-arg:MODUS_BUDGET': '99999999999999999999' }))).toThrow(/invalid MODUS_BUDGET/);
});
