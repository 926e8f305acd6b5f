// Visual regression: a full-page screenshot of each page kind on a phone and on a desktop,
// compared with the committed baselines in e2e/baselines/.
//
//   UPDATE_BASELINES=1 bash e2e/run.sh    writes new baselines instead of comparing
//
// Screenshots go to e2e/out/<viewport>-<kind>.png; when one differs, the pixels that
// differ are painted red in e2e/out/<viewport>-<kind>.diff.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import pixelmatch from 'pixelmatch';
import {
  BASELINE_DIR,
  EXPECTED_STATUS,
  launch,
  newContext,
  OUT_DIR,
  PAGE_TYPES,
  settle,
  VIEWPORTS,
} from '../lib/harness.mjs';

const UPDATE = process.env.UPDATE_BASELINES === '1';
/** pixelmatch's per-pixel colour distance threshold (0..1). */
const THRESHOLD = 0.1;
/** Largest share of differing pixels that still passes. */
const MAX_DIFF_RATIO = 0.005;

/** Decode and re-encode as compact as pngjs can (baselines live in git). */
function compactPng(buffer) {
  const png = PNG.sync.read(buffer);
  // Plain RGB, no row filters: for flat screenshots of text that packs smallest.
  return PNG.sync.write(png, { colorType: 2, deflateLevel: 9, deflateStrategy: 0, filterType: 0 });
}

let browser;
before(async () => {
  browser = await launch();
  mkdirSync(BASELINE_DIR, { recursive: true });
});
after(async () => {
  await browser?.close();
});

for (const viewport of Object.keys(VIEWPORTS)) {
  describe(`screenshots on ${viewport}`, () => {
    for (const [kind, path] of Object.entries(PAGE_TYPES)) {
      const name = `${viewport}-${kind}`;
      test(`${name} (${path}) matches its baseline`, async (t) => {
        const context = await newContext(browser, viewport);
        t.after(() => context.close());
        const page = await context.newPage();
        const res = await page.goto(path);
        assert.equal(res.status(), EXPECTED_STATUS[kind] ?? 200, `${path} status`);
        await settle(page);
        const shot = compactPng(
          await page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide', scale: 'css' }),
        );
        const outFile = join(OUT_DIR, `${name}.png`);
        const baseFile = join(BASELINE_DIR, `${name}.png`);
        const diffFile = join(OUT_DIR, `${name}.diff.png`);
        rmSync(diffFile, { force: true }); // from an earlier run
        writeFileSync(outFile, shot);

        if (UPDATE) {
          writeFileSync(baseFile, shot);
          t.diagnostic(`baseline written: ${baseFile}`);
          return;
        }
        assert.ok(
          existsSync(baseFile),
          `no baseline ${baseFile}; run with UPDATE_BASELINES=1 to create it (screenshot: ${outFile})`,
        );

        const actual = PNG.sync.read(shot);
        const expected = PNG.sync.read(readFileSync(baseFile));
        assert.deepEqual(
          { width: actual.width, height: actual.height },
          { width: expected.width, height: expected.height },
          `${name}: page size changed (baseline ${expected.width}x${expected.height}, ` +
            `now ${actual.width}x${actual.height}); see ${outFile}`,
        );
        const diff = new PNG({ width: actual.width, height: actual.height });
        const differing = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, {
          threshold: THRESHOLD,
        });
        const ratio = differing / (actual.width * actual.height);
        t.diagnostic(`${name}: ${differing} pixels differ (${(ratio * 100).toFixed(3)}%)`);
        if (differing > 0) {
          writeFileSync(diffFile, PNG.sync.write(diff));
          t.diagnostic(`diff image: ${diffFile}`);
        }
        assert.ok(
          ratio <= MAX_DIFF_RATIO,
          `${name}: ${(ratio * 100).toFixed(3)}% of pixels differ (limit ${MAX_DIFF_RATIO * 100}%); ` +
            `compare ${baseFile} with ${outFile} (differences in red: ${diffFile})`,
        );
      });
    }
  });
}
