// Valid HTML: each page kind, as the server sends it, through the Nu Html Checker (vnu.jar).
// The JVM starts once for all pages; errors fail the page's test, warnings are printed.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXPECTED_STATUS, OUT_DIR, PAGE_TYPES, url } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));
const HTML_DIR = join(OUT_DIR, 'html');

/** Messages per page kind, filled once by `before`. */
const report = {};
const files = {};

function runVnu(paths) {
  return new Promise((resolve, reject) => {
    // vnu exits 1 when it finds errors; the JSON report is what we read either way.
    execFile(
      'java',
      ['-Xss4m', '-jar', VNU_JAR, '--format', 'json', '--stdout', ...paths],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!stdout.trim()) {
          reject(new Error(`vnu gave no report: ${error?.message || ''}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout));
        } catch (e) {
          reject(new Error(`vnu report is not JSON: ${e.message}\n${stdout.slice(0, 2000)}`));
        }
      },
    );
  });
}

function describeMessage(m) {
  const where = m.lastLine ? `line ${m.lastLine}${m.firstColumn ? `, col ${m.firstColumn}` : ''}` : 'document';
  const kind = m.type === 'info' && m.subType === 'warning' ? 'warning' : m.subType || m.type;
  const extract = m.extract ? `\n      ${JSON.stringify(m.extract.replace(/\s+/g, ' ').trim())}` : '';
  return `  [${kind}] ${where}: ${m.message}${extract}`;
}

before(async () => {
  mkdirSync(HTML_DIR, { recursive: true });
  for (const [kind, path] of Object.entries(PAGE_TYPES)) {
    const res = await fetch(url(path));
    assert.equal(res.status, EXPECTED_STATUS[kind] ?? 200, `${path} status`);
    const file = join(HTML_DIR, `${kind}.html`);
    writeFileSync(file, await res.text());
    files[kind] = file;
    report[kind] = [];
  }
  const byUrl = Object.fromEntries(Object.entries(files).map(([kind, f]) => [pathToFileURL(f).href, kind]));
  const result = await runVnu(Object.values(files));
  for (const message of result.messages) {
    // vnu names files as file:/abs/path (one slash); normalise to compare.
    const key = message.url ? pathToFileURL(decodeURIComponent(message.url.replace(/^file:\/*/, '/'))).href : '';
    const kind = byUrl[key];
    if (kind) report[kind].push(message);
    else for (const k of Object.keys(report)) report[k].push(message); // not tied to one file
  }
});

for (const [kind, path] of Object.entries(PAGE_TYPES)) {
  test(`${kind} (${path}) is valid HTML`, (t) => {
    const messages = report[kind];
    const errors = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
    const warnings = messages.filter((m) => m.type === 'info' && m.subType === 'warning');
    for (const w of warnings) t.diagnostic(`vnu warning on ${path}:\n${describeMessage(w)}`);
    assert.equal(
      errors.length,
      0,
      `${path} has ${errors.length} HTML error(s) (page saved as ${files[kind]}):\n` +
        errors.map(describeMessage).join('\n'),
    );
  });
}
