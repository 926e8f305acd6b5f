// Shared helpers for the browser tests: where the site is, how to start Chromium,
// the two viewports, the pages we look at, and where artifacts go.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const raw = process.env.WARTA_URL;
if (!raw) {
  throw new Error('WARTA_URL is not set: start warta and point WARTA_URL at it (run.sh does both)');
}
/** The site's origin without a trailing slash, e.g. http://127.0.0.1:41234 */
export const BASE = raw.replace(/\/+$/, '');

/** Absolute URL of a site path. */
export const url = (path) => new URL(path, BASE + '/').href;

/** Path (plus query) of an absolute URL on the site. */
export const pathOf = (href) => {
  const u = new URL(href, BASE + '/');
  return u.pathname + u.search;
};

export const E2E_DIR = fileURLToPath(new URL('..', import.meta.url));
export const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));
export const BASELINE_DIR = fileURLToPath(new URL('../baselines/', import.meta.url));
mkdirSync(OUT_DIR, { recursive: true });

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launch(options = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      // Same pixels on every run: no LCD subpixel tricks, no smooth-scroll artefacts.
      '--font-render-hinting=none',
      '--disable-lcd-text',
      '--disable-smooth-scrolling',
      '--hide-scrollbars',
    ],
    ...options,
  });
}

/** The two devices every reader-facing check runs on. */
export const VIEWPORTS = {
  phone: {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 1,
  },
  desktop: {
    viewport: { width: 1280, height: 900 },
    isMobile: false,
    hasTouch: false,
    deviceScaleFactor: 1,
  },
};

/** A browser context as a reader in Indonesia would have it. */
export function newContext(browser, viewportName, extra = {}) {
  return browser.newContext({
    ...VIEWPORTS[viewportName],
    baseURL: BASE,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    ...extra,
  });
}

/**
 * One page of each kind. The demo newsroom is deterministic (fixed dates, fixed text),
 * so these addresses and what they show do not change between runs.
 */
export const PAGE_TYPES = {
  home: '/',
  section: '/kanal/olahraga',
  article: '/read/2026/11/20/catatan-akhir-piala-asia-futsal-2026-rekor-penonton-dan-lahirnya-generasi-baru',
  tag: '/tag/piala-asia-futsal-2026',
  author: '/penulis/fajar-nugroho',
  notfound: '/halaman-yang-tidak-pernah-ada',
  signin: '/masuk',
  register: '/daftar',
  search: '/cari?q=banjir',
  story: '/topik/banjir-kalimantan-terkini',
};

/** Status each page kind must answer with. */
export const EXPECTED_STATUS = { notfound: 404 };

/** GET a JSON document from the site's API. */
export async function getJson(path) {
  const res = await fetch(url(path));
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.json();
}

/** Every article the demo site has, from the public API. */
export async function allArticles() {
  const items = [];
  let next = '/api/v1/articles?limit=100';
  while (next) {
    const page = await getJson(next);
    items.push(...page.items);
    // `next` is a cursor or a link, depending on the API version; follow links only.
    next = typeof page.next === 'string' && page.next.startsWith('/') ? page.next : null;
  }
  return items;
}

/** Wait until web fonts are in and layout has settled (for screenshots and axe). */
export async function settle(page) {
  await page.waitForLoadState('load');
  await page.evaluate(() => document.fonts && document.fonts.ready.then(() => undefined));
}

/** Newsroom accounts that run.sh creates before starting the site. */
export const NEWSROOM_PASSWORD = 'sandi-uji-redaksi';
export const newsroomEmail = (role) => `${role}@redaksi.test`;

/** Signs in on `page` through the sign-in form. */
export async function signIn(page, email, password) {
  await page.goto('/masuk');
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await page.click('button[type=submit]');
  await settle(page);
}
