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
