// Accounts as a reader uses them: register from the masthead's sign-in link, see your name in
// the masthead, sign out from its menu, sign back in; a wrong password keeps what was typed.
// Until the address is verified, an article offers the way to verify instead of the comment
// form, and the account page mails the link again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, PAGE_TYPES, settle } from '../lib/harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const viewport of ['phone', 'desktop']) {
  test(`register, sign out and sign in again on ${viewport}`, async (t) => {
    const context = await newContext(browser, viewport);
    t.after(() => context.close());
    const page = await context.newPage();
    const email = `pembaca-${viewport}-${Date.now()}@contoh.id`;

    await page.goto('/');
    await page.click('a.sign-in');
    await settle(page);
    assert.match(new URL(page.url()).pathname, /^\/masuk$/);
    await page.click('a[href="/daftar"]');
    await settle(page);
    await page.fill('#f-name', 'Pembaca Setia');
    await page.fill('#f-email', email);
    await page.fill('#f-password', 'pendek');
    await page.click('button[type=submit]');
    await settle(page);
    assert.equal(await page.locator('#f-name').inputValue(), 'Pembaca Setia', 'typed name kept');
    assert.match(await page.locator('#e-password').innerText(), /10 karakter/);

    await page.fill('#f-password', 'kata-sandi-yang-panjang');
    await page.click('button[type=submit]');
    await settle(page);
    assert.equal(new URL(page.url()).pathname, '/akun');
    assert.equal((await page.locator('.account-menu summary').innerText()).trim(), 'Pembaca Setia');

    await page.click('.account-menu summary');
    await page.click('.account-menu button[type=submit]');
    await settle(page);
    assert.equal(await page.locator('.account-menu').count(), 0, 'signed out');
    assert.equal(await page.locator('a.sign-in').count(), 1);

    await page.click('a.sign-in');
    await settle(page);
    await page.fill('#f-email', email);
    await page.fill('#f-password', 'bukan-sandinya-sama-sekali');
    await page.click('button[type=submit]');
    await settle(page);
    assert.match(await page.locator('.form-error').innerText(), /salah/);
    assert.equal(await page.locator('#f-email').inputValue(), email, 'typed address kept');
    await page.fill('#f-password', 'kata-sandi-yang-panjang');
    await page.click('button[type=submit]');
    await settle(page);
    assert.equal((await page.locator('.account-menu summary').innerText()).trim(), 'Pembaca Setia');

    await page.goto(PAGE_TYPES.article);
    assert.equal(await page.locator('#komentar-baru').count(), 0, 'no comment form yet');
    await page.click('#komentar a[href="/akun"]');
    await settle(page);
    await page.click('form[action="/akun/verifikasi"] button');
    await settle(page);
    assert.match(await page.locator('main').innerText(), new RegExp(`dikirim ke ${email.replace(/[.]/g, '\\.')}`));
  });
}
