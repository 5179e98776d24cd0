import { dirname, join } from 'node:path';

export interface DashboardAsset {
  path: string;
  contentType: string;
}

const publicDir = join(__dirname, 'public');
// uPlot is served from the installed package, never from a copy that could drift from it.
const uplotDir = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));

/** Every file the page may load, by the name it is requested under; nothing else is served. */
export const dashboardAssets: Readonly<Record<string, DashboardAsset>> = {
  'index.html': { path: join(publicDir, 'index.html'), contentType: 'text/html; charset=utf-8' },
  'render.js': { path: join(publicDir, 'render.js'), contentType: 'text/javascript; charset=utf-8' },
  'chart.js': { path: join(publicDir, 'chart.js'), contentType: 'text/javascript; charset=utf-8' },
  'accuracy-chart.js': { path: join(publicDir, 'accuracy-chart.js'), contentType: 'text/javascript; charset=utf-8' },
  'app.js': { path: join(publicDir, 'app.js'), contentType: 'text/javascript; charset=utf-8' },
  'style.css': { path: join(publicDir, 'style.css'), contentType: 'text/css; charset=utf-8' },
  'uPlot.iife.min.js': { path: join(uplotDir, 'uPlot.iife.min.js'), contentType: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { path: join(uplotDir, 'uPlot.min.css'), contentType: 'text/css; charset=utf-8' },
};
