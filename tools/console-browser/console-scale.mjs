// Times the console with many alerts in Debian's Chromium: first render (page load, the stream's
// snapshot of every alert, the table drawn; and when the snapshot was all in) beside the baseline of fetching and parsing the same
// alerts from /api/alerts in the same page, then a text filter, a sort and a page turn. Run by
// benchmarks/console (ConsoleAtScale), which starts Vigil and publishes the alerts; prints one JSON
// object with the medians as its last line.
//
//   VIGIL_URL  http://127.0.0.1:PORT of the running pipeline (no http.users)
//   ALERTS     how many alerts it holds
//   RUNS       how many times to measure (a fresh page each time)
import puppeteer from 'puppeteer-core';

const url = process.env.VIGIL_URL;
const alerts = Number(process.env.ALERTS);
const runs = Number(process.env.RUNS ?? 5);
const TIMEOUT = { timeout: 300_000, polling: 'mutation' };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]);
};

// Runs one of the console's actions in the page and times it until the next frame is painted.
// (The page's Content-Security-Policy forbids eval, so the actions are named, not passed as code.)
async function timed(page, action) {
  return page.evaluate(async (which) => {
    const start = performance.now();
    if (which === 'filter') {
      const input = document.getElementById('filter-text');
      input.value = 'alice';
      input.dispatchEvent(new Event('input'));
    } else if (which === 'sort') {
      document.querySelector('th[data-sort="count"]').click();
    } else {
      document.getElementById('page-next').click();
    }
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - start;
  }, action);
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const results = { baseline: [], synced: [], firstRender: [], filter: [], sort: [], nextPage: [] };
try {
  for (let run = 0; run < runs; run++) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1600, height: 900 });
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    const start = Date.now();
    await page.goto(`${url}/console/`);
    await page.waitForSelector('#status.live', { timeout: 300_000 });
    results.synced.push(Date.now() - start);
    await page.waitForFunction((n) => document.querySelector('#shown')?.textContent === `${n} of ${n} alerts`
      && document.querySelectorAll('tr.alert').length > 0, TIMEOUT, alerts);
    results.firstRender.push(Date.now() - start);
    results.baseline.push(await page.evaluate(async (n) => {
      const begin = performance.now();
      const body = await (await fetch(`/api/alerts?limit=${n}`, { cache: 'no-store' })).json();
      if (body.alerts.length !== n) {
        throw new Error(`expected ${n} alerts from the API, got ${body.alerts.length}`);
      }
      return performance.now() - begin;
    }, alerts));
    results.filter.push(await timed(page, 'filter'));
    results.sort.push(await timed(page, 'sort'));
    results.nextPage.push(await timed(page, 'next'));
    console.log(`run ${run + 1}: first render ${results.firstRender.at(-1)} ms (the stream's snapshot all in after`
      + ` ${results.synced.at(-1)} ms; fetch and parse alone`
      + ` ${Math.round(results.baseline.at(-1))} ms), filter ${Math.round(results.filter.at(-1))} ms,`
      + ` sort ${Math.round(results.sort.at(-1))} ms, next page ${Math.round(results.nextPage.at(-1))} ms`);
    await page.close();
  }
} finally {
  await browser.close();
}
const summary = {
  alerts,
  runs,
  first_render_ms: median(results.firstRender),
  snapshot_in_ms: median(results.synced),
  baseline_fetch_parse_ms: median(results.baseline),
  first_render_to_baseline: Number((median(results.firstRender) / Math.max(1, median(results.baseline))).toFixed(2)),
  filter_ms: median(results.filter),
  sort_ms: median(results.sort),
  next_page_ms: median(results.nextPage),
};
console.log(JSON.stringify(summary));
