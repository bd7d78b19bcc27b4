/**
 * The exact bytes of `modus proof --json` on solutions whose strings need escaping (in Modus
 * source, in JSON, or both), non-ASCII text, negation-only goals and multi-literal goals:
 * the writer takes a shorter path when nothing needs escaping, and both paths must agree.
 */
import { workspace, type Workspace } from './harness';

const MODUSFILE = String.raw`
s("plain").
s("with \"quotes\"").
s("back\\slash").
s("tab\tnew\nline\rcr").
s("nul\0").
s("été ✓ 𝄞").
s("").
s("a'b/c<d>&e").
pair("x", "y").
pair("p q", "r\"s").
mode("prod").
mode("dev").
`;

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write('Modusfile', MODUSFILE);
});
afterEach(() => ws.remove());

async function json(goal: string): Promise<string> {
  const r = await ws.run(['proof', '--json', goal]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

test('strings that need escaping in Modus, in JSON, in both, or in neither', async () => {
  expect(await json('s(X)')).toBe(
    String.raw`{"solutions": [` +
      String.raw`{"literal": "s(\"plain\")", "predicate": "s", "args": ["plain"], "layers": 0}, ` +
      String.raw`{"literal": "s(\"with \\\"quotes\\\"\")", "predicate": "s", "args": ["with \"quotes\""], "layers": 0}, ` +
      String.raw`{"literal": "s(\"back\\\\slash\")", "predicate": "s", "args": ["back\\slash"], "layers": 0}, ` +
      String.raw`{"literal": "s(\"tab\\tnew\\nline\\rcr\")", "predicate": "s", "args": ["tab\tnew\nline\rcr"], "layers": 0}, ` +
      String.raw`{"literal": "s(\"nul\\0\")", "predicate": "s", "args": ["nul\u0000"], "layers": 0}, ` +
      `{"literal": "s(\\"été ✓ 𝄞\\")", "predicate": "s", "args": ["été ✓ 𝄞"], "layers": 0}, ` +
      String.raw`{"literal": "s(\"\")", "predicate": "s", "args": [""], "layers": 0}, ` +
      String.raw`{"literal": "s(\"a'b/c<d>&e\")", "predicate": "s", "args": ["a'b/c<d>&e"], "layers": 0}` +
      ']}\n',
  );
});

test('two arguments, a negation-only goal and a multi-literal goal', async () => {
  expect(await json('pair(X, Y)')).toBe(
    String.raw`{"solutions": [{"literal": "pair(\"x\", \"y\")", "predicate": "pair", "args": ["x", "y"], "layers": 0}, ` +
      String.raw`{"literal": "pair(\"p q\", \"r\\\"s\")", "predicate": "pair", "args": ["p q", "r\"s"], "layers": 0}]}` +
      '\n',
  );
  expect(await json('!mode("test")')).toBe(
    String.raw`{"solutions": [{"literal": "!mode(\"test\")", "predicate": "mode", "args": ["test"], "layers": 0}]}` + '\n',
  );
  expect(await json('mode(M), pair(X, "y")')).toBe(
    String.raw`{"solutions": [{"literal": "mode(\"prod\")", "predicate": "mode", "args": ["prod"], "layers": 0}, ` +
      String.raw`{"literal": "mode(\"dev\")", "predicate": "mode", "args": ["dev"], "layers": 0}]}` +
      '\n',
  );
});

test('an output of several hundred kilobytes (written in pieces) is the same one line', async () => {
  const values = Array.from({ length: 3000 }, (_, i) => (i === 1500 ? 'a "quoted" value' : `value-${String(i).padStart(6, '0')}-of-a-long-list`));
  ws.write('Modusfile', values.map((v) => `n(${JSON.stringify(v)}).\n`).join(''));
  const entry = (v: string): string =>
    `{"literal": ${JSON.stringify(`n(${JSON.stringify(v)})`)}, "predicate": "n", "args": [${JSON.stringify(v)}], "layers": 0}`;
  const out = await json('n(X)');
  expect(out.length).toBeGreaterThan(300_000);
  expect(out).toBe(`{"solutions": [${values.map(entry).join(', ')}]}\n`);
});
