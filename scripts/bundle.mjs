// Bundles the frontend and the modus program into one file each (dist/frontend.js, dist/modus.js).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning' };
await Promise.all([
  build({ ...common, entryPoints: ['frontend/main.ts'], outfile: 'dist/frontend.js' }),
  build({ ...common, entryPoints: ['frontend/cli/main.ts'], outfile: 'dist/modus.js' }),
]);
