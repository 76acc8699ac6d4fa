import { TestServer } from './support/server.mjs';
import { launchBrowser, newPage, signIn } from './support/browser.mjs';
const paths = process.argv.slice(2);
const server = new TestServer({ demo: true });
await server.start();
const browser = await launchBrowser();
const page = await newPage(browser, 1440, 900);
await signIn(page, server.base, 'admin', 'Demo@2026');
const api = await server.signIn('admin', 'Demo@2026');
await api.put('/api/v1/me/locale', { locale: 'en' });
const seen = new Set();
for (const p of paths) {
  await page.goto(`${server.base}/${p}`);
  try { await page.waitForLoadState('networkidle', { timeout: 8000 }); } catch {}
  await page.waitForTimeout(300);
  const texts = await page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent.trim();
      if (!/[\u4e00-\u9fff]/.test(t)) continue;
      const el = n.parentElement;
      if (el.closest('td, .el-table__cell, .sc-row-card, .el-select-dropdown, .el-option, .echarts, canvas')) continue;
      if (getComputedStyle(el).display === 'none' || !el.offsetParent) continue;
      out.push(t.slice(0, 60));
    }
    for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
      if (/[\u4e00-\u9fff]/.test(el.placeholder)) out.push('placeholder: ' + el.placeholder);
    }
    return out;
  });
  const fresh = texts.filter((t) => !seen.has(t));
  fresh.forEach((t) => seen.add(t));
  if (fresh.length) console.log(`${p}: ${fresh.join(' | ')}`);
}
await api.put('/api/v1/me/locale', { locale: 'zh-CN' });
await browser.close();
await server.stop();
