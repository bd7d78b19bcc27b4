// Keeps dead code and import cycles out of the code base (run by `npm test`). Reports:
//  * an export of grammar/, frontend/ or proto/ that no other file imports, a type as much as a
//    value (drop it, or drop `export` when only its own file uses it: a type named in an exported
//    signature needs no `export` of its own until another file spells its name);
//  * a source file that nothing imports and that is not an entry point;
//  * a cycle of imports between files (type-only imports count: a cycle means two files that
//    cannot be read, or changed, one without the other).
// Tests, benchmarks and scripts count as users. Exit status 1 when anything is found.
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ts = require('typescript');

/** The project checked: this repository, or the folder given as the one argument (its tests use a small one). */
const root = path.resolve(process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..'));
const CHECKED = ['grammar/', 'frontend/', 'proto/'];
/** Files something outside the TypeScript program starts from (the bundles, the frontend image). */
const ENTRY_POINTS = new Set(['frontend/main.ts', 'frontend/cli/main.ts', 'frontend/buildkit/warm-up.ts']);
/** Exports read from outside the TypeScript program: `bin/modus` calls `runCli` of the bundle. */
const EXTERNAL_USES = new Set(['frontend/cli/main.ts:runCli']);

const configPath = path.join(root, 'tsconfig.json');
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const checker = program.getTypeChecker();
const relative = (fileName) => path.relative(root, fileName);
const sourceFiles = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !relative(f.fileName).startsWith('..') && !relative(f.fileName).startsWith('node_modules'));
const isChecked = (file) => CHECKED.some((dir) => relative(file.fileName).startsWith(dir));

const usedSymbols = new Set();
const importedFiles = new Set();
const edges = new Map(); // file → files it imports

function markUsed(symbol) {
  for (let s = symbol; s; ) {
    usedSymbols.add(s);
    if (!(s.flags & ts.SymbolFlags.Alias)) break;
    const next = checker.getImmediateAliasedSymbol(s);
    if (!next || next === s) break;
    s = next;
  }
}

function resolvedModule(file, specifier) {
  const symbol = checker.getSymbolAtLocation(specifier);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  return declaration && ts.isSourceFile(declaration) ? { symbol, file: declaration } : undefined;
}

for (const file of sourceFiles) {
  const targets = new Set();
  edges.set(file, targets);
  const visit = (node) => {
    const specifier =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier ? node.moduleSpecifier : undefined;
    if (specifier) {
      const target = resolvedModule(file, specifier);
      if (target && sourceFiles.includes(target.file)) {
        targets.add(target.file);
        importedFiles.add(target.file);
        noteUses(node, target);
      }
    }
    if (ts.isImportTypeNode(node)) {
      const target = resolvedModule(file, node.argument.literal);
      if (target) {
        targets.add(target.file);
        importedFiles.add(target.file);
        if (node.qualifier) markUsed(checker.getSymbolAtLocation(node.qualifier));
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
}

function noteUses(node, target) {
  const everything = () => checker.getExportsOfModule(target.symbol).forEach(markUsed);
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return;
    if (clause.name) markUsed(checker.getSymbolAtLocation(clause.name));
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) everything();
    else bindings?.elements.forEach((e) => markUsed(checker.getSymbolAtLocation(e.name)));
  } else if (!node.exportClause) {
    // `export * from`: what the re-exporting module's users take is marked through their imports.
  } else if (ts.isNamespaceExport(node.exportClause)) {
    everything();
  }
}

const problems = [];

for (const file of sourceFiles.filter(isChecked)) {
  const name = relative(file.fileName);
  if (!importedFiles.has(file) && !ENTRY_POINTS.has(name)) problems.push(`${name}: no file imports it`);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (!moduleSymbol) continue;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    if (usedSymbols.has(exported) || EXTERNAL_USES.has(`${name}:${exported.name}`)) continue;
    // A symbol `export *`-ed here from another module is reported there.
    const declaration = exported.declarations?.[0];
    if (declaration && declaration.getSourceFile() !== file && !(exported.flags & ts.SymbolFlags.Alias)) continue;
    if (declaration && !ts.isExportSpecifier(declaration) && declaration.getSourceFile() === file) {
      const line = file.getLineAndCharacterOfPosition(declaration.getStart()).line + 1;
      problems.push(`${name}:${line}: export ${exported.name} is not imported by any other file`);
    } else {
      problems.push(`${name}: re-export ${exported.name} is not imported by any file`);
    }
  }
}

// Cycles: strongly connected groups of files (Tarjan).
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function connect(file) {
  index.set(file, counter);
  low.set(file, counter++);
  stack.push(file);
  onStack.add(file);
  for (const next of edges.get(file) ?? []) {
    if (!index.has(next)) {
      connect(next);
      low.set(file, Math.min(low.get(file), low.get(next)));
    } else if (onStack.has(next)) {
      low.set(file, Math.min(low.get(file), index.get(next)));
    }
  }
  if (low.get(file) !== index.get(file)) return;
  const group = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    group.push(relative(member.fileName));
  } while (member !== file);
  if (group.length > 1) problems.push(`import cycle: ${group.sort().join(' → ')}`);
}
for (const file of sourceFiles) if (!index.has(file)) connect(file);

if (problems.length > 0) {
  console.error(`check-code: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-code: no dead exports, unused files or import cycles in ${sourceFiles.filter(isChecked).length} files`);
