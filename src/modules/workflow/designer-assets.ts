import path from 'node:path';
import { build } from 'esbuild';

/**
 * The designer island (bpmn-js modeler + our panel) and its CSS, bundled once with esbuild
 * on first request and kept in memory; fonts referenced by the CSS become files beside them.
 * Everything is served from /assets/workflow/<name> (same origin: the CSP allows it).
 */
export interface Asset {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.svg': 'image/svg+xml',
};

let bundle: Promise<Map<string, Asset>> | null = null;

async function buildAssets(): Promise<Map<string, Asset>> {
  const dir = path.join(import.meta.dirname, 'client');
  const result = await build({
    entryPoints: [path.join(dir, 'designer.ts'), path.join(dir, 'designer.css')],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    outdir: '/workflow-assets',
    entryNames: '[name]',
    assetNames: '[name]-[hash]',
    publicPath: '/assets/workflow',
    loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
    logLevel: 'silent',
    legalComments: 'none',
  });
  const files = new Map<string, Asset>();
  for (const f of result.outputFiles) {
    const name = path.basename(f.path);
    files.set(name, { body: Buffer.from(f.contents), type: TYPES[path.extname(name)] ?? 'application/octet-stream' });
  }
  return files;
}

/** The asset by file name (designer.js, designer.css, bpmn-<hash>.woff2 …), or null. */
export async function designerAsset(name: string): Promise<Asset | null> {
  bundle ??= buildAssets().catch((e: unknown) => {
    bundle = null;
    throw e;
  });
  return (await bundle).get(name) ?? null;
}
