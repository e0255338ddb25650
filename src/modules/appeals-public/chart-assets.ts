import path from 'node:path';
import { build } from 'esbuild';

/**
 * The statistics chart island (Apache ECharts, SVG renderer), bundled once with esbuild on first
 * request and kept in memory; served from /assets/mailbox/<name> (same origin: the CSP allows it).
 * Same pattern as the workflow designer's assets.
 */
export interface Asset {
  body: Buffer;
  type: string;
}

let bundle: Promise<Map<string, Asset>> | null = null;

async function buildAssets(): Promise<Map<string, Asset>> {
  const result = await build({
    entryPoints: [path.join(import.meta.dirname, 'client', 'charts.ts')],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    outdir: '/mailbox-assets',
    entryNames: '[name]',
    logLevel: 'silent',
    legalComments: 'none',
  });
  const files = new Map<string, Asset>();
  for (const f of result.outputFiles) files.set(path.basename(f.path), { body: Buffer.from(f.contents), type: 'text/javascript; charset=utf-8' });
  return files;
}

/** The asset by file name (charts.js), or null. */
export async function chartAsset(name: string): Promise<Asset | null> {
  bundle ??= buildAssets().catch((e: unknown) => {
    bundle = null;
    throw e;
  });
  return (await bundle).get(name) ?? null;
}
