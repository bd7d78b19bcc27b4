'use strict';
/**
 * Loads a CommonJS bundle (dist/modus.js) with V8's code cache for it, written beside it at build
 * time (`npm run build`, after a warm-up run, so the bytecode of the common paths is in it).
 * Compiling the bundle's code is otherwise about a third of the program's start-up. The cache is
 * used only when its header names the bundle's size and modification time and this node's version
 * and architecture (V8 also refuses data from another V8, other flags or of the wrong length);
 * otherwise the bundle is compiled from source. Like the bundle itself, the cache is trusted
 * otherwise: V8 does not checksum it.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const FORMAT = 'modus-code-cache 1';

function cachePath(bundle) {
  return `${bundle}.cache`;
}

function header(bundle) {
  const stat = fs.statSync(bundle, { bigint: true });
  return `${FORMAT} ${stat.size} ${stat.mtimeNs} ${process.version} ${process.arch}\n`;
}

function readCache(bundle) {
  let data;
  try {
    data = fs.readFileSync(cachePath(bundle));
  } catch {
    return undefined;
  }
  const expected = Buffer.from(header(bundle), 'latin1');
  if (data.length <= expected.length || !data.subarray(0, expected.length).equals(expected)) return undefined;
  return data.subarray(expected.length);
}

/** Compiles and runs the bundle as a CommonJS module; returns its exports and the compiled script. */
function evaluate(bundle, cachedData) {
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(bundle));
  const wrapper = script.runInThisContext();
  wrapper.call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
  bundleModule.loaded = true;
  return { exports: bundleModule.exports, script };
}

/**
 * The bundle's exports, compiled from the code cache when it fits. A checkout where the bundle
 * was never built gets one line that says how to build it, not node's stack trace.
 */
function loadBundle(bundle) {
  if (!fs.existsSync(bundle)) {
    process.stderr.write(`modus: ${bundle} is missing: build it with \`npm run build\`\n`);
    process.exit(1);
  }
  return evaluate(bundle, readCache(bundle)).exports;
}

/** Loads the bundle without a cache, runs `warmUp(exports)`, then writes the cache. */
async function writeCodeCache(bundle, warmUp) {
  const { exports, script } = evaluate(bundle, undefined);
  await warmUp(exports);
  // Written whole, then renamed: a reader never sees half a cache.
  const temporary = `${cachePath(bundle)}.${process.pid}`;
  fs.writeFileSync(temporary, Buffer.concat([Buffer.from(header(bundle), 'latin1'), script.createCachedData()]));
  fs.renameSync(temporary, cachePath(bundle));
}

module.exports = { loadBundle, readCache, writeCodeCache };
