/** Content keys: what enters them, and what does not. */
import { SourceFile } from '../../../grammar/source';
import { loadProgramText, planSolutions, solveGoal } from '../../../frontend/pipeline';
import { contentKey, contextPath, copiedContextPaths, literalNodes, subgraph } from '../../../frontend/caching/content-keys';

function plan(text: string, goal: string) {
  const loaded = loadProgramText(new SourceFile('Modusfile', text));
  const solved = solveGoal(loaded.program!, goal, { cost: 'layers', forBuild: true });
  return planSolutions(solved.solutions).plan;
}

const PROGRAM = [
  'base :- from("b:1"), copy("src/./a", "/a").',
  'tool :- from("b:1"), run("make").',
  'app :- base, copy("cfg", "/cfg"), tool::copy("/out", "/out").',
  '',
].join('\n');

const input = { ops: [Uint8Array.from([1, 2, 3])], config: '{"config":{}}', contextFiles: [{ path: 'a', mode: 0o644, digest: 'sha256:1' }] };

test('every image literal is found, and each copies only its own context paths', () => {
  const p = plan(PROGRAM, 'app');
  const literals = literalNodes(p);
  expect(literals.map((l) => l.literal).sort()).toEqual(['app', 'base', 'tool']);
  const byName = new Map(literals.map((l) => [l.literal, l.node]));
  expect(copiedContextPaths(p, byName.get('base')!)).toEqual(['src/a']);
  expect(copiedContextPaths(p, byName.get('tool')!)).toEqual([]);
  expect(copiedContextPaths(p, byName.get('app')!)).toEqual(['cfg', 'src/a']);
  expect(subgraph(p, byName.get('app')!)).toContain(byName.get('tool')!);
});

test('the key changes with the ops, the config and any context file, and only with them', () => {
  const key = contentKey(input);
  expect(key).toMatch(/^mk1-[0-9a-f]{64}$/);
  expect(contentKey({ ...input })).toBe(key);
  expect(contentKey({ ...input, ops: [Uint8Array.from([1, 2, 4])] })).not.toBe(key);
  expect(contentKey({ ...input, config: '{"config":{"Env":[]}}' })).not.toBe(key);
  expect(contentKey({ ...input, contextFiles: [{ path: 'a', mode: 0o644, digest: 'sha256:2' }] })).not.toBe(key);
  expect(contentKey({ ...input, contextFiles: [{ path: 'a', mode: 0o755, digest: 'sha256:1' }] })).not.toBe(key);
});

test('directory named contexts: their name and files enter the key; none leaves the key as it was', () => {
  const key = contentKey(input);
  expect(contentKey({ ...input, namedContexts: [] })).toBe(key);
  const tools = (digest: string) => ({ name: 'context:tools', files: [{ path: 'bin/tool', mode: 0o755, digest }] });
  const withTools = contentKey({ ...input, namedContexts: [tools('sha256:1')] });
  expect(withTools).not.toBe(key);
  expect(contentKey({ ...input, namedContexts: [tools('sha256:2')] })).not.toBe(withTools);
  expect(contentKey({ ...input, namedContexts: [{ ...tools('sha256:1'), name: 'context:other' }] })).not.toBe(withTools);
  // A named context's files are not the build context's files.
  expect(contentKey({ ...input, contextFiles: [...input.contextFiles, ...tools('sha256:1').files] })).not.toBe(withTools);
});

test('field boundaries matter: moving bytes between ops changes the key', () => {
  const a = contentKey({ ...input, ops: [Uint8Array.from([1, 2]), Uint8Array.from([3])] });
  const b = contentKey({ ...input, ops: [Uint8Array.from([1]), Uint8Array.from([2, 3])] });
  expect(a).not.toBe(b);
});

test('context file order does not matter', () => {
  const files = [
    { path: 'b', mode: 0o644, digest: 'sha256:b' },
    { path: 'a', mode: 0o644, digest: 'sha256:a' },
  ];
  expect(contentKey({ ...input, contextFiles: files })).toBe(contentKey({ ...input, contextFiles: [...files].reverse() }));
});

test('context paths are normalised', () => {
  expect(contextPath('./a//b/')).toBe('a/b');
  expect(contextPath('.')).toBe('');
});
