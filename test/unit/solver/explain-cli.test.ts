/** `modus proof` (tree, --compact, --explain, --graph, warnings) shows no translation internals. */
import { workspace, type Workspace } from '../cli/harness';

const MODUSFILE = `
base("alpine:3.19").
app(mode) :-
    base(img), from(img),
    run(f"echo \${mode} > /mode"),
    (copy(".", "/src"))::in_workdir(f"/app/\${mode}").
app("dev") :- from("alpine:edge").
mode("prod"). mode("dev").
bad("prod").
checked(m) :- mode(m), !bad(m), app(m).
`;

const INTERNALS = /string_concat|_negate_|_operator_|\$f\d|\$_\d/;

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
  ws.write('Modusfile', MODUSFILE);
});
afterEach(() => ws.remove());

test.each([
  [['proof', 'mode(M), app(M), Tag = f"app:${M}"']],
  [['proof', '--compact', 'mode(M), app(M), Tag = f"app:${M}"']],
  [['proof', '--explain', 'checked(M)']],
  [['proof', '--graph', 'checked(M)']],
])('%j', async (argv) => {
  const r = await ws.run(argv);
  expect(r.code).toBe(0);
  expect(r.stdout).not.toMatch(INTERNALS);
  expect(r.stdout).not.toBe('');
});

test('the tree: the string an f-string built, operator arguments built the same way', async () => {
  const r = await ws.run(['proof', 'mode(M), app(M), Tag = f"app:${M}"']);
  expect(r.stdout).toContain(
    ['Proof 1 of 2 (2 layers):', 'mode("prod")', 'app("prod")', '├── base("alpine:3.19")', '├── from("alpine:3.19")', '├── run("echo prod > /mode")', '├── (', '│   └── copy(".", "/src")', '└── ) ::in_workdir("/app/prod")', '"app:prod" = "app:prod"'].join('\n'),
  );
});

test('a proved negation: the warning names the expression at its position', async () => {
  const r = await ws.run(['proof', 'checked("prod")']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^Modusfile:10:24: warning: a proof was found for bad\("prod"\)\n/);
  expect(r.stderr).not.toMatch(INTERNALS);
});
