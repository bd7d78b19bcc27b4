// Bundles the frontend and the modus program into one file each (dist/frontend.js, dist/modus.js).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning' };
await Promise.all([
  // Minified (names kept, for stack traces in the daemon's log): the frontend image's start-up
  // snapshot is ~1 MB smaller and a build starts ~10 ms sooner (docs/benchmarks.md, Frontend).
  build({ ...common, entryPoints: ['frontend/main.ts'], outfile: 'dist/frontend.js', minify: true, keepNames: true }),
  build({ ...common, entryPoints: ['frontend/cli/main.ts'], outfile: 'dist/modus.js' }),
]);
