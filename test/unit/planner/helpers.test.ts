import { joinPath, parseDuration, staysInsideContext } from '../../../frontend/planner';

describe('joinPath', () => {
  test.each([
    ['', 'a', 'a'],
    ['a', 'b', 'a/b'],
    ['a/', 'b', 'a/b'],
    ['a', '/b', '/b'],
    ['/', 'x', '/x'],
    ['/tmp', '', '/tmp'],
    ['', '', ''],
    ['b', '.', 'b/.'],
  ])('join(%j, %j) = %j', (base, path, expected) => {
    expect(joinPath(base, path)).toBe(expected);
  });
});

describe('staysInsideContext', () => {
  test.each([
    ['file', true],
    ['dir/sub', true],
    ['.', true],
    ['', true],
    ['a/../b', true],
    ['/abs', false],
    ['..', false],
    ['../x', false],
    ['a/../../x', false],
    ['./../x', false],
  ])('%j -> %j', (path, expected) => {
    expect(staysInsideContext(path)).toBe(expected);
  });
});

describe('parseDuration', () => {
  test.each([
    ['90s', 90],
    ['30m', 1800],
    ['12h', 43200],
    ['7d', 604800],
    ['1.5h', 5400],
  ])('%s = %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toEqual({ seconds });
  });

  test.each(['soon', '', '10', 'h', '5 m', '-1s', '3w', '1e3s'])('%j is rejected', (text) => {
    expect(parseDuration(text)).toEqual({ error: `invalid duration \`${text}\`: expected a number followed by s, m, h or d` });
  });

  test('zero is rejected', () => {
    expect(parseDuration('0s')).toEqual({ error: 'invalid duration `0s`: must be at least one second' });
  });
});
