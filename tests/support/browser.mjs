// What every browser test needs: Debian's Chromium through Playwright, a page at a given size,
// Element Plus fields by data-test id, signing in, reading or waiting for a test id's text, and
// taking a file from an export button.
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function newPage(browser, width = 1440, height = 900) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  return page;
}

// Element Plus puts data-test either on the <input> itself or on its wrapper.
export function field(page, id) {
  return page.locator(`input[data-test="${id}"], textarea[data-test="${id}"], [data-test="${id}"] input, [data-test="${id}"] textarea`).first();
}

export async function signIn(page, base, username, password) {
  await page.goto(`${base}/login`);
  await field(page, 'login-username').fill(username);
  await field(page, 'login-password').fill(password);
  await page.locator('[data-test="login-submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function text(page, testId) {
  return (await page.locator(`[data-test="${testId}"]`).first().innerText()).trim();
}

// Waits until the element shows exactly `expected`.
export async function waitText(page, testId, expected) {
  await page.waitForFunction(
    ([id, want]) => document.querySelector(`[data-test="${id}"]`)?.textContent.trim() === want,
    [testId, expected],
  );
}

// Clicks an export button (the page fetches the file with a progress dialog, then saves it) and
// answers the saved file, its name and the address it was fetched from (path and query).
export async function exportFile(page, testId) {
  const [download, response] = await Promise.all([
    page.waitForEvent('download'),
    page.waitForResponse((r) => /attachment/.test(r.headers()['content-disposition'] ?? '')),
    page.locator(`[data-test="${testId}"]`).click(),
  ]);
  const url = new URL(response.url());
  const body = await readFile(await download.path());
  return { href: `${url.pathname}${url.search}`, name: download.suggestedFilename(), body, text: body.toString('utf8') };
}
