// Video as readers use it: an uploaded clip plays in the page (the browser fetches it with
// range requests), and an embedded YouTube video makes no request to any video host until the
// reader clicks its poster.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, newsroomEmail, NEWSROOM_PASSWORD, settle, signIn } from '../lib/harness.mjs';

let browser;
let editor;
before(async () => {
  browser = await launch();
  const context = await newContext(browser, 'desktop');
  editor = await context.newPage();
  await signIn(editor, newsroomEmail('editor'), NEWSROOM_PASSWORD);
});
after(async () => {
  await browser?.close();
});

/** A two-second WebM clip recorded from a canvas by the browser itself (no fixture file). */
async function recordClip(page) {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    const g = canvas.getContext('2d');
    const stream = canvas.captureStream(25);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
    const chunks = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((resolve) => { recorder.onstop = resolve; });
    recorder.start(200);
    const started = performance.now();
    await new Promise((resolve) => {
      (function frame() {
        const t = performance.now() - started;
        g.fillStyle = `hsl(${(t / 10) % 360}, 70%, 45%)`;
        g.fillRect(0, 0, 320, 180);
        g.fillStyle = '#fff';
        g.fillText(`Warta ${Math.round(t)}`, 20, 90);
        if (t < 2000) requestAnimationFrame(frame); else resolve();
      })();
    });
    recorder.stop();
    await done;
    const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
}

/** Opens the video desk, records a clip and sends it with `title` and `duration`. */
async function sendClip(title, duration) {
  await editor.goto('/redaksi/video');
  const clip = await recordClip(editor);
  await editor.fill('#v-title', title);
  await editor.fill('#v-duration', duration);
  await editor.setInputFiles('#v-file', { name: 'klip.webm', mimeType: 'video/webm', buffer: clip });
  await editor.click('form[action="/redaksi/video"] button[type=submit]');
  await settle(editor);
  return clip;
}

test('an uploaded video plays, fetched with range requests', async (t) => {
  const clip = await sendClip(`Arus Mudik di Pelabuhan Merak ${Date.now()}`, '0:02');
  assert.deepEqual([...clip.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'a WebM file');
  const pagePath = new URL(editor.url()).pathname;
  assert.match(pagePath, /^\/video\//);

  const context = await newContext(browser, 'phone');
  t.after(() => context.close());
  const reader = await context.newPage();
  const ranged = [];
  reader.on('response', (response) => {
    if (response.url().includes('/media/video/')) {
      ranged.push({ status: response.status(), range: response.request().headers().range });
    }
  });
  await reader.goto(pagePath);
  await settle(reader);
  const played = await reader.evaluate(async () => {
    const video = document.querySelector('video');
    video.muted = true;
    await video.play();
    await new Promise((resolve) => setTimeout(resolve, 800));
    return { time: video.currentTime, error: video.error && video.error.code };
  });
  assert.equal(played.error, null, 'no media error');
  assert.ok(played.time > 0.2, `playback advanced to ${played.time} s`);
  assert.ok(ranged.some((r) => r.status === 206 && r.range), `a 206 answer to a Range request: ${JSON.stringify(ranged)}`);
  t.diagnostic(`played to ${played.time.toFixed(2)} s; media responses ${JSON.stringify(ranged)}`);
});

test('a form refused for a typo keeps the uploaded file: the writer fixes the field and sends', async (t) => {
  const title = `Banjir Rob di Pesisir Semarang ${Date.now()}`;
  const clip = await sendClip(title, 'dua menit');
  assert.equal(new URL(editor.url()).pathname, '/redaksi/video', 'the form comes back');
  assert.match(await editor.locator('#e-duration').innerText(), /menit/, 'the duration error is in Indonesian');
  const hint = await editor.locator('#h-file').innerText();
  assert.match(hint, /^Berkas video sudah diterima \(\d+ KB\)/);
  assert.equal(await editor.inputValue('#v-title'), title, 'the typed title is kept');

  await editor.fill('#v-duration', '0:02');
  await editor.click('form[action="/redaksi/video"] button[type=submit]');
  await settle(editor);
  const pagePath = new URL(editor.url()).pathname;
  assert.match(pagePath, /^\/video\//, 'published without choosing the file again');
  const src = await editor.locator('video source').evaluate((el) => el.src);
  const response = await editor.request.get(src);
  assert.equal(response.status(), 200);
  assert.equal((await response.body()).length, clip.length, 'the stored file is the one first sent');
  t.diagnostic(`${hint} -> ${pagePath}`);
});

test('an embed loads nothing from the video host before the click', async (t) => {
  await editor.goto('/redaksi/video');
  const title = `Wawancara Kepala Basarnas ${Date.now()}`;
  await editor.fill('#v-title', title);
  await editor.fill('#v-duration', '3:10');
  await editor.fill('#v-embed', 'https://www.youtube.com/watch?v=dQw4w9WgXcQ');
  await editor.click('form[action="/redaksi/video"] button[type=submit]');
  await settle(editor);
  const pagePath = new URL(editor.url()).pathname;

  const context = await newContext(browser, 'phone');
  t.after(() => context.close());
  const reader = await context.newPage();
  const foreign = [];
  reader.on('request', (request) => {
    const host = new URL(request.url()).hostname;
    if (!['127.0.0.1', 'localhost'].includes(host)) foreign.push(request.url());
  });
  await reader.goto(pagePath);
  await settle(reader);
  await reader.waitForTimeout(500);
  assert.deepEqual(foreign, [], 'no third-party request before the click');
  assert.equal(await reader.locator('iframe').count(), 0);

  await reader.click('a[data-embed]');
  const frame = reader.locator('iframe');
  await frame.waitFor({ state: 'attached', timeout: 3000 });
  assert.equal(await frame.getAttribute('src'), 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1');
  await reader.waitForTimeout(300);
  assert.ok(foreign.some((u) => u.startsWith('https://www.youtube-nocookie.com/embed/')), `the player is requested after the click: ${foreign}`);
});
