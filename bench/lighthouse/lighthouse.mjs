// Runs Lighthouse (default config: mobile form factor, simulated throttling) on a few pages of
// a running Warta site and prints what the engineers need: the four category scores per page,
// the bytes the article page costs, whether anything blocks rendering or comes from another
// origin, and every audit that does not pass. Called by run.sh, which starts the site.
//
//   node lighthouse.mjs --base http://127.0.0.1:PORT --out DIR --page home=/ --page article=/read/...
//
// Environment: CHROME_PATH (default /usr/bin/chromium).
// Exit status: 0 when Lighthouse ran on every page (whatever the scores), 1 when it could not
// run or a page could not be measured (load error, missing category score), 2 on bad arguments.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const CATEGORIES = [
  ['performance', 'Performance'],
  ['accessibility', 'Accessibility'],
  ['best-practices', 'Best Practices'],
  ['seo', 'SEO'],
];
const METRICS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
];

function usage(msg) {
  console.error(`lighthouse.mjs: ${msg}`);
  console.error('usage: node lighthouse.mjs --base URL --out DIR --page NAME=PATH [--page NAME=PATH ...]');
  process.exit(2);
}

function parseArgs(argv) {
  const args = {base: '', out: '', pages: []};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--base') args.base = value().replace(/\/+$/, '');
    else if (a === '--out') args.out = value();
    else if (a === '--page') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq < 1) usage(`--page wants NAME=PATH, got ${v}`);
      args.pages.push({name: v.slice(0, eq), path: v.slice(eq + 1)});
    } else usage(`unknown argument ${a}`);
  }
  if (!args.base || !args.out || !args.pages.length) usage('--base, --out and --page are required');
  return args;
}

const kb = bytes => `${(bytes / 1024).toFixed(1)} KiB`;

// Chrome's own render-blocking verdict for every request, from the trace it wrote
// (ResourceSendRequest: blocking, in_body_parser_blocking, non_blocking, ...). Lighthouse's
// render-blocking-resources audit lists only what cost >= 50 ms in its simulation; this is all.
function renderBlockingFromTrace(artifacts) {
  const verdicts = new Map();
  for (const e of artifacts?.Trace?.traceEvents ?? []) {
    if (e.name !== 'ResourceSendRequest') continue;
    const d = e.args?.data;
    if (d?.url && d.renderBlocking) verdicts.set(d.url, d.renderBlocking);
  }
  const blocking = [...verdicts]
    .filter(([, how]) => how === 'blocking' || how === 'in_body_parser_blocking')
    .map(([url, how]) => ({url, how}));
  return {verdicts, blocking};
}

// Audits that count towards a category and do not pass, by Lighthouse's own rule
// (ReportUtils.showAsPassed: numeric/binary score >= 0.9; 'error' never passes; 'informative',
// 'manual' and 'notApplicable' are not pass/fail checks).
function notPassing(lhr) {
  const seen = new Map();
  for (const [catId] of CATEGORIES) {
    const cat = lhr.categories[catId];
    if (!cat) continue;
    for (const ref of cat.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (!audit) continue;
      const mode = audit.scoreDisplayMode;
      if (mode === 'informative' || mode === 'manual' || mode === 'notApplicable') continue;
      const failed = mode === 'error' || audit.score === null || audit.score < 0.9;
      if (!failed) continue;
      const entry = seen.get(ref.id) ?? {audit, categories: [], weight: 0};
      entry.categories.push(catId);
      entry.weight = Math.max(entry.weight, ref.weight);
      seen.set(ref.id, entry);
    }
  }
  return [...seen.values()];
}

function describeAudit({audit, categories, weight}) {
  const score = audit.scoreDisplayMode === 'error' ? 'error'
    : audit.score === null ? 'n/a' : audit.score.toFixed(2);
  let line = `  - ${audit.id} [${categories.join(', ')}; score ${score}; weight ${weight}]: ${audit.title}`;
  if (audit.displayValue) line += ` (${audit.displayValue})`;
  if (audit.errorMessage) line += ` error: ${audit.errorMessage}`;
  const lines = [line];
  // A few offending items, so the page can be fixed without opening the JSON.
  let items = audit.details?.items ?? [];
  // Insight audits nest their tables in a list.
  if (audit.details?.type === 'list') items = items.flatMap(sub => sub?.items ?? []);
  for (const item of items.slice(0, 5)) {
    const what = item.node?.snippet ?? item.node?.selector ?? item.url ?? item.source?.url ??
      item.source?.value ?? item.description;
    let why = item.node?.explanation ?? '';
    if (typeof item.cacheLifetimeMs === 'number') why = `cache lifetime ${item.cacheLifetimeMs / 1000} s`;
    if (typeof item.reflowTime === 'number') why = `reflow time ${Math.round(item.reflowTime)} ms`;
    if (what) lines.push(`      ${String(what).replace(/\s+/g, ' ').slice(0, 200)}${why ? `  -- ${why.replace(/\s+/g, ' ').slice(0, 300)}` : ''}`);
  }
  if (items.length > 5) lines.push(`      ... and ${items.length - 5} more (see the JSON report)`);
  return lines.join('\n');
}

async function auditPage(base, page, outDir) {
  const url = base + page.path;
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    chromeFlags: CHROME_FLAGS,
    logLevel: 'silent',
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: ['json', 'html'],
      logLevel: 'error',
    });
    if (!result) throw new Error('Lighthouse returned no result');
    const [json, html] = result.report;
    fs.writeFileSync(path.join(outDir, `${page.name}.report.json`), json);
    fs.writeFileSync(path.join(outDir, `${page.name}.report.html`), html);
    const {verdicts, blocking} = renderBlockingFromTrace(result.artifacts);
    return {page, url, lhr: result.lhr, verdicts, renderBlocking: blocking};
  } finally {
    await chrome.kill();
  }
}

// Bytes over the wire (compressed, headers included) by resource type, and requests that
// left the page's origin, from the network-requests audit.
function networkSummary(lhr) {
  const items = lhr.audits['network-requests']?.details?.items ?? [];
  const origin = new URL(lhr.finalDisplayedUrl || lhr.requestedUrl).origin;
  const byType = new Map();
  let total = 0;
  const foreign = [];
  for (const it of items) {
    const size = it.transferSize ?? 0;
    total += size;
    const type = it.resourceType ?? 'Other';
    const t = byType.get(type) ?? {count: 0, bytes: 0};
    t.count += 1;
    t.bytes += size;
    byType.set(type, t);
    if (/^(data|blob|about|chrome|chrome-extension):/.test(it.url)) continue;
    let o;
    try { o = new URL(it.url).origin; } catch { o = it.url; }
    if (o !== origin) foreign.push(it.url);
  }
  return {items, total, byType, foreign};
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.out, {recursive: true});
  const runs = [];
  const problems = [];
  for (const page of args.pages) {
    process.stderr.write(`[lighthouse] ${page.name}: ${args.base}${page.path}\n`);
    let run;
    try {
      run = await auditPage(args.base, page, args.out);
    } catch (err) {
      problems.push(`${page.name}: Lighthouse failed to run: ${err?.stack ?? err}`);
      continue;
    }
    if (run.lhr.runtimeError) {
      problems.push(`${page.name}: ${run.lhr.runtimeError.code}: ${run.lhr.runtimeError.message}`);
    }
    for (const [id, label] of CATEGORIES) {
      const s = run.lhr.categories[id]?.score;
      if (typeof s !== 'number') problems.push(`${page.name}: no ${label} score`);
    }
    for (const w of run.lhr.runWarnings ?? []) process.stderr.write(`[lighthouse] ${page.name}: warning: ${w}\n`);
    runs.push(run);
  }

  const out = [];
  const first = runs[0]?.lhr;
  if (first) {
    out.push(`Lighthouse ${first.lighthouseVersion}, ${first.configSettings.formFactor} form factor, ` +
      `${first.configSettings.throttlingMethod} throttling; ${first.environment?.hostUserAgent ?? ''}`);
    // TBT and the other CPU-bound metrics scale with how busy the machine was (a cargo build
    // beside the run raises them): the benchmark index and load average say how busy.
    out.push(`benchmarkIndex ${runs.map(r => Math.round(r.lhr.environment?.benchmarkIndex ?? 0)).join('/')}, ` +
      `load average ${os.loadavg().map(l => l.toFixed(2)).join(' ')} (${os.cpus().length} cores) at the end`);
    out.push('');
  }
  const w = Math.max(8, ...runs.map(r => r.page.name.length));
  out.push(`${'page'.padEnd(w)}  ${CATEGORIES.map(([, l]) => l.padStart(l.length < 5 ? 5 : l.length)).join('  ')}  path`);
  for (const r of runs) {
    const cells = CATEGORIES.map(([id, l]) => {
      const s = r.lhr.categories[id]?.score;
      const v = typeof s === 'number' ? String(Math.round(s * 100)) : '-';
      return v.padStart(l.length < 5 ? 5 : l.length);
    });
    out.push(`${r.page.name.padEnd(w)}  ${cells.join('  ')}  ${r.page.path}`);
  }
  out.push('');
  out.push('metrics (simulated mobile):');
  for (const r of runs) {
    const m = METRICS.map(([id, l]) => `${l} ${r.lhr.audits[id]?.displayValue ?? '?'}`).join(', ');
    out.push(`  ${r.page.name.padEnd(w)}  ${m}`);
  }

  for (const r of runs) {
    const net = networkSummary(r.lhr);
    const tbw = r.lhr.audits['total-byte-weight']?.numericValue;
    out.push('');
    out.push(`${r.page.name}: ${net.items.length} requests, ${net.total} bytes transferred (${kb(net.total)}, compressed, headers included)` +
      (typeof tbw === 'number' ? `; total-byte-weight ${Math.round(tbw)} bytes` : ''));
    if (r.page.name === 'article') {
      out.push(`  by type (bytes transferred):`);
      for (const [type, t] of [...net.byType].sort((a, b) => b[1].bytes - a[1].bytes)) {
        out.push(`    ${type.padEnd(12)} ${String(t.count).padStart(3)} request(s) ${String(t.bytes).padStart(8)} bytes`);
      }
      out.push(`  requests: transferred, unpacked, status, Chrome's render-blocking verdict, url`);
      for (const it of net.items) {
        out.push(`    ${String(it.transferSize ?? 0).padStart(8)} B  ${String(it.resourceSize ?? 0).padStart(8)} B unpacked  ` +
          `${it.statusCode}  ${(r.verdicts.get(it.url) ?? '-').padEnd(12)}  ${it.url}`);
      }
    }
    const rb = r.renderBlocking;
    const rbAudit = r.lhr.audits['render-blocking-resources'];
    const rbAuditItems = rbAudit?.details?.items?.length ?? 0;
    out.push(`  render-blocking requests (Chrome's trace): ${rb.length ? '' : 'none'}`);
    for (const b of rb) out.push(`    ${b.how}: ${b.url}`);
    out.push(`  render-blocking-resources audit: ${rbAuditItems ? `${rbAuditItems} item(s), ${rbAudit.displayValue ?? ''}` : 'nothing flagged'}`);
    out.push(`  third-party requests (other origin): ${net.foreign.length ? '' : 'none'}`);
    for (const u of net.foreign) out.push(`    ${u}`);
  }

  for (const r of runs) {
    const failing = notPassing(r.lhr);
    out.push('');
    out.push(`${r.page.name}: ${failing.length ? `${failing.length} audit(s) not passing` : 'every scored audit passes'}`);
    for (const f of failing.sort((a, b) => b.weight - a.weight)) out.push(describeAudit(f));
  }
  out.push('');
  out.push(`reports: ${args.out}/<page>.report.json (and .html)`);

  const text = out.join('\n');
  console.log(text);
  fs.writeFileSync(path.join(args.out, 'summary.txt'), text + '\n');

  if (problems.length) {
    for (const p of problems) console.error(`[lighthouse] error: ${p}`);
    process.exit(1);
  }
}

main().catch(err => {
  console.error(`[lighthouse] error: ${err?.stack ?? err}`);
  process.exit(1);
});
