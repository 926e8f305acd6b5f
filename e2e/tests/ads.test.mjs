// Ads as readers meet them: a signed-out reader sees the banner and closes it ("Tutup iklan"),
// and it stays closed on the next page of the visit; once the reader is a member, the same
// pages carry no ad markup at all. A snippet whose third-party code the admin allowed runs in a
// sandboxed frame that cannot reach the page. Each campaign is stopped at the end so other tests' pages (and
// the screenshot baselines) stay ad-free.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, newsroomEmail, NEWSROOM_PASSWORD, settle, signIn } from '../lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a reader closes an ad; a member sees none', async (t) => {
  const adminContext = await newContext(browser, 'desktop');
  const readerContext = await newContext(browser, 'phone');
  const admin = await adminContext.newPage();
  await signIn(admin, newsroomEmail('admin'), NEWSROOM_PASSWORD);
  await admin.goto('/redaksi/iklan');
  const name = `Kopi Uji ${Date.now()}`;
  await admin.fill('#c-name', name);
  await admin.selectOption('#c-slot', 'top');
  await admin.fill('#c-image', '/favicon.svg');
  await admin.fill('#c-link', 'https://kopi.example/promo');
  await admin.fill('#c-alt', name);
  await admin.click('form[action="/redaksi/iklan"] button[type=submit]:has-text("Jalankan")');
  await settle(admin);
  // Cleanup hooks run in order: stop the campaign, end the membership, then close.
  t.after(async () => {
    await admin.goto('/redaksi/iklan');
    await admin.locator('tr', { hasText: name }).locator('button', { hasText: 'Hentikan' }).click();
    await settle(admin);
  });

  const reader = await readerContext.newPage();
  await reader.goto('/');
  const banner = reader.locator('[data-ad="top"]');
  await banner.waitFor();
  const box = await banner.boundingBox();
  assert.ok(box.height >= 100, `space kept for the banner: ${box.height}`);
  await banner.locator('button', { hasText: 'Tutup iklan' }).click();
  assert.equal(await banner.isVisible(), false, 'closed');
  await reader.goto('/kanal/sains');
  assert.equal(await reader.locator('[data-ad="top"]').isVisible(), false, 'stays closed this visit');

  // The reader becomes a member: no ad markup, no ad requests.
  await admin.goto('/redaksi/langganan');
  await admin.fill('#g-email', newsroomEmail('contributor'));
  await admin.fill('#g-until', '2099-12-31');
  await admin.click('button[value=grant]');
  await settle(admin);
  t.after(async () => {
    await admin.goto('/redaksi/langganan');
    await admin.fill('#g-email', newsroomEmail('contributor'));
    await admin.click('button[value=revoke]');
    await settle(admin);
    await Promise.all([adminContext.close(), readerContext.close()]);
  });
  await signIn(reader, newsroomEmail('contributor'), NEWSROOM_PASSWORD);
  const requests = [];
  reader.on('request', (r) => requests.push(r.url()));
  for (const path of ['/', '/kanal/sains']) {
    await reader.goto(path);
    await settle(reader);
    assert.equal(await reader.locator('[data-ad]').count(), 0, `no ad markup on ${path}`);
  }
  assert.deepEqual(requests.filter((u) => u.includes('/iklan/')), [], 'no ad requests');
});

test('third-party code an admin allows runs in a sandboxed frame; forms carry no ad', async (t) => {
  const adminContext = await newContext(browser, 'desktop');
  const readerContext = await newContext(browser, 'phone');
  const admin = await adminContext.newPage();
  await signIn(admin, newsroomEmail('admin'), NEWSROOM_PASSWORD);
  await admin.goto('/redaksi/iklan');
  const name = `Tag Uji ${Date.now()}`;
  await admin.fill('#c-name', name);
  await admin.selectOption('#c-slot', 'top');
  await admin.fill(
    '#c-html',
    `<p id="tag-uji">diam</p><script>document.getElementById('tag-uji').textContent = 'kode pihak ketiga berjalan';</script>`,
  );
  await admin.check('#c-scripts');
  await admin.click('form[action="/redaksi/iklan"] button[type=submit]:has-text("Jalankan")');
  await settle(admin);
  t.after(async () => {
    await admin.goto('/redaksi/iklan');
    await admin.locator('tr', { hasText: name }).locator('button', { hasText: 'Hentikan' }).click();
    await settle(admin);
    await Promise.all([adminContext.close(), readerContext.close()]);
  });

  const reader = await readerContext.newPage();
  const refused = [];
  reader.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) refused.push(m.text());
  });
  await reader.goto('/');
  // In a sandboxed frame of its own: it runs, but not as the page (no cookies, no page access).
  const frame = reader.frameLocator('[data-ad="top"] iframe');
  await frame.locator('#tag-uji', { hasText: 'kode pihak ketiga berjalan' }).waitFor();
  assert.deepEqual(refused, [], 'the frame policy lets the tag run');
  const reach = await frame.locator('body').evaluate(() => {
    try {
      return window.parent.document.title;
    } catch {
      return 'no access';
    }
  });
  assert.equal(reach, 'no access', 'the frame cannot read the page');
  assert.equal(
    await reader.locator('[data-ad="top"] iframe').getAttribute('referrerpolicy'),
    'no-referrer',
    'the tag is not told the address of the page around it',
  );
  // Opened on its own, in the admin's browser, the ad's document is still sandboxed by its
  // policy: an opaque origin, so it cannot act with the admin's session.
  const src = await reader.locator('[data-ad="top"] iframe').getAttribute('src');
  await admin.goto(src);
  await admin.locator('#tag-uji', { hasText: 'kode pihak ketiga berjalan' }).waitFor();
  assert.equal(await admin.evaluate(() => self.origin), 'null');
  const account = await admin.evaluate(() =>
    fetch('/akun', { credentials: 'include' }).then((r) => r.text(), () => 'refused'),
  );
  assert.equal(account, 'refused', 'a request to the site from the ad is cross-origin');
  // Forms are work: the sign-in page shows no ad.
  await reader.goto('/masuk');
  await settle(reader);
  assert.equal(await reader.locator('[data-ad]').count(), 0);
});
