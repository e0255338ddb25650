/**
 * Chinese PDF rendering (src/platform/pdf): one-page reply letter and a three-page table report,
 * warm (same process, after one warm-up document) and cold (a fresh Node process: font
 * conversion + first layout). Targets: < 300 ms per one-page document warm, < 3 s cold.
 *
 *   npx tsx bench/pdf.bench.ts          → prints and writes bench/results/pdf-<date>.json
 *   benchPdf() for bench/run.ts          (optionalBench('pdf.bench.ts', 'benchPdf'))
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PdfDocumentSpec, renderPdf } from '../src/platform/pdf/index.ts';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');

const letter: PdfDocumentSpec = {
  issuer: '某某市人民政府办公室',
  documentNumber: '某政办依申〔2026〕12号',
  title: '政府信息公开申请答复书',
  addressee: '张三：',
  blocks: [
    '本机关于2026年11月2日收到您通过网上申请平台提出的政府信息公开申请，您申请获取“2025年度本市老旧小区改造项目资金安排情况”。',
    { kind: 'heading', text: '一、答复内容' },
    '经审查，您申请的信息中含有涉及第三方商业秘密的内容，根据《中华人民共和国政府信息公开条例》第三十七条的规定，本机关对可以区分处理的部分予以公开，详见附件。',
    { kind: 'heading', text: '二、救济途径' },
    '如对本答复不服，可以在收到本答复之日起60日内向某某市人民政府申请行政复议，或者在6个月内向某某区人民法院提起行政诉讼。',
  ],
  signature: { organisation: '某某市人民政府办公室', date: '2026-11-29' },
  notes: ['（此件依申请公开）'],
};

const report: PdfDocumentSpec = {
  title: '某某市人民政府2025年政府信息公开工作年度报告',
  blocks: [
    { kind: 'heading', text: '三、收到和处理政府信息公开申请情况' },
    { kind: 'table', columns: [{ title: '项目', width: 4 }, { title: '自然人' }, { title: '商业企业' }, { title: '科研机构' }, { title: '总计' }], rows: Array.from({ length: 60 }, (_, i) => [`（${i + 1}）处理结果项目`, String(i), String(i * 2), '0', String(i * 3)]) },
  ],
  signature: { organisation: '某某市人民政府办公室', date: '2026-01-20' },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function timeMany(spec: PdfDocumentSpec, runs: number): Promise<{ runs: number; p50Ms: number; p95Ms: number; meanMs: number; bytes: number }> {
  await renderPdf(spec); // warm-up
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    bytes = (await renderPdf(spec)).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return { runs, p50Ms: r(percentile(times, 0.5)), p95Ms: r(percentile(times, 0.95)), meanMs: r(times.reduce((a, b) => a + b, 0) / runs), bytes };
}

function cold(): number {
  const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--cold'], { cwd: ROOT, encoding: 'utf8' });
  const m = /COLD_MS=([\d.]+)/.exec(child.stdout);
  if (!m) throw new Error(`cold run failed: ${child.stderr}`);
  return Number(m[1]);
}

export async function benchPdf(opts: { runs?: number } = {}): Promise<Record<string, unknown>> {
  const runs = opts.runs ?? 50;
  const coldMs = cold();
  const onePage = await timeMany(letter, runs);
  const threePages = await timeMany(report, Math.max(5, Math.floor(runs / 5)));
  return {
    name: 'pdf',
    what: 'renderPdf(): one-page reply letter (red header, title, paragraphs, signature, page number) and a table report (60 rows, several pages)',
    coldOnePageMs: Math.round(coldMs),
    onePageWarm: onePage,
    tableReportWarm: threePages,
    targets: { onePageWarmMs: 300, coldMs: 3000 },
    meetsTargets: onePage.p95Ms < 300 && coldMs < 3000,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  if (process.argv.includes('--cold')) {
    const t = performance.now();
    await renderPdf(letter);
    process.stdout.write(`COLD_MS=${performance.now() - t}\n`);
  } else {
    const result = {
      kind: 'zhengwu-bench-pdf',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, totalMemGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage: os.loadavg() },
      result: await benchPdf(),
    };
    const dir = path.join(ROOT, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pdf-${result.date.slice(0, 10)}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result.result, null, 2));
    console.log(`wrote ${path.relative(ROOT, file)}`);
  }
}
