// Accessibility: axe-core in each page kind, on a phone and on a desktop. Zero violations.
// The full axe results land in e2e/out/axe-<viewport>-<kind>.json.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  EXPECTED_STATUS,
  launch,
  newContext,
  OUT_DIR,
  PAGE_TYPES,
  settle,
  VIEWPORTS,
} from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core');

function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary || '').replace(/\n\s*/g, ' / ');
          return `      at ${n.target.join(' ')}\n        ${n.html.replace(/\s+/g, ' ').slice(0, 200)}\n        ${summary}`;
        })
        .join('\n');
      return `  ${v.id} [${v.impact}] ${v.help} (${v.nodes.length} element(s))\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const viewport of Object.keys(VIEWPORTS)) {
  describe(`accessibility on ${viewport}`, () => {
    for (const [kind, path] of Object.entries(PAGE_TYPES)) {
      test(`${kind} (${path}) has no axe violations`, async (t) => {
        // The site's Content-Security-Policy (script-src 'self') rightly refuses injected
        // scripts; bypass it for this context only, so axe can run inside the page.
        const context = await newContext(browser, viewport, { bypassCSP: true });
        t.after(() => context.close());
        const page = await context.newPage();
        const res = await page.goto(path);
        assert.equal(res.status(), EXPECTED_STATUS[kind] ?? 200, `${path} status`);
        await settle(page);
        await page.addScriptTag({ path: AXE });
        const results = await page.evaluate(() =>
          // Every rule axe enables by default: WCAG 2.x A/AA and its best practices.
          window.axe.run(document, { resultTypes: ['violations', 'incomplete'] }),
        );
        writeFileSync(join(OUT_DIR, `axe-${viewport}-${kind}.json`), JSON.stringify(results, null, 2));
        for (const item of results.incomplete) {
          t.diagnostic(`needs review (not a failure): ${item.id} — ${item.help} (${item.nodes.length} element(s))`);
        }
        assert.equal(
          results.violations.length,
          0,
          `${path} on ${viewport} has ${results.violations.length} axe violation(s):\n` +
            describeViolations(results.violations),
        );
      });
    }

    test('keyboard: the first Tab reaches a visible skip link that jumps to the content', async (t) => {
      const context = await newContext(browser, viewport);
      t.after(() => context.close());
      const page = await context.newPage();
      await page.goto(PAGE_TYPES.article);
      await settle(page);
      await page.keyboard.press('Tab');
      const focused = page.locator(':focus');
      assert.equal(await focused.getAttribute('href'), '#isi', 'first Tab focuses the skip link');
      const box = await focused.boundingBox();
      const size = page.viewportSize();
      assert.ok(
        box && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.width > 1,
        `focused skip link is on screen (box ${JSON.stringify(box)})`,
      );
      await page.keyboard.press('Enter');
      // The fragment navigation lands after the key press returns (the URL read at once was
      // still the old one in one CI run out of many): wait for it, up to 2 s.
      await page.waitForFunction(() => location.hash === '#isi', null, { timeout: 2000 }).catch(() => {});
      assert.equal(new URL(page.url()).hash, '#isi');
      await page.keyboard.press('Tab');
      const next = await page.locator(':focus').evaluate((el) => !!el.closest('main'));
      assert.ok(next, 'after the skip link, Tab continues inside main');
    });

    test('no page scrolls sideways', async (t) => {
      const context = await newContext(browser, viewport);
      t.after(() => context.close());
      const page = await context.newPage();
      for (const path of Object.values(PAGE_TYPES)) {
        await page.goto(path);
        await settle(page);
        const { scrollWidth, clientWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
        }));
        assert.ok(scrollWidth <= clientWidth, `${path}: page is ${scrollWidth}px wide in a ${clientWidth}px window`);
      }
    });
  });
}
