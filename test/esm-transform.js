/**
 * Jest transform for ESM-only dependencies (chevrotain and its packages): jest's CommonJS
 * runtime cannot load them on Node 20, so they are converted to CommonJS with esbuild.
 */
const esbuild = require('esbuild');

module.exports = {
  process(source, filename) {
    const result = esbuild.transformSync(source, {
      loader: 'js',
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'inline',
    });
    return { code: result.code };
  },
  getCacheKey(source, filename) {
    return require('crypto').createHash('sha256').update(`esm-transform-1\0${filename}\0${source}`).digest('hex');
  },
};
