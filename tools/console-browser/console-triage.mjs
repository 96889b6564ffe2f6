// The console in a real browser (Debian's Chromium, driven by puppeteer-core): an analyst and a
// viewer on a running `vigil run` with http.users. Run by ConsoleBrowserIT, which starts Vigil and
// sets the environment below; exits non-zero at the first step that does not hold.
//
//   VIGIL_URL       http://127.0.0.1:PORT of the running pipeline
//   VIGIL_INBOX     its ingest.files.inbox directory
//   ALERT_FILE      a CloudTrail file that raises EXPECT_RULE
//   EXPECT_RULE     the rule id of that alert
//   ANALYST_TOKEN   the token of a user with role analyst, named ANALYST_NAME
//   VIEWER_TOKEN    the token of a user with role viewer, named VIEWER_NAME
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
};
const url = env('VIGIL_URL');
const rule = env('EXPECT_RULE');
const WAIT = { timeout: 90_000 };
const NOTE = '<img src=x onerror="window.pwned=1"> checked with the trail owner';

function step(text) {
  console.log(`step: ${text}`);
}

async function signIn(browser, token) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  // A desktop screen: the table beside the detail pane, as analysts use it.
  await page.setViewport({ width: 1600, height: 900 });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(`${url}/console`);
  await page.type('input[name="token"]', token);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"], input[type="submit"]')]);
  await page.waitForSelector('#status.live', WAIT);
  return page;
}

// The alert's row, once it is on the board.
async function row(page) {
  const handle = await page.waitForFunction(
    (ruleId) => [...document.querySelectorAll('tr.alert')].find((tr) => tr.textContent.includes(ruleId)),
    WAIT, rule);
  return handle.asElement();
}

async function rowStatus(page) {
  return page.evaluate((ruleId) => [...document.querySelectorAll('tr.alert')]
    .find((tr) => tr.textContent.includes(ruleId))?.querySelector('.status-badge')?.textContent, rule);
}

async function awaitRowStatus(page, status) {
  await page.waitForFunction((ruleId, expected) => [...document.querySelectorAll('tr.alert')]
    .find((tr) => tr.textContent.includes(ruleId))?.querySelector('.status-badge')?.textContent === expected,
  WAIT, rule, status);
}

// The board and the detail pane are redrawn when the live stream or an alert's history arrives, so
// an element found a moment ago may be gone by the click ("Node is detached from document"): then it
// is found again and clicked, as a user would.
async function clickSteady(page, find) {
  for (let attempt = 1; ; attempt++) {
    try {
      const element = await find();
      await element.evaluate((e) => e.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
      await element.click();
      return;
    } catch (e) {
      if (attempt >= 5 || !/detached|not clickable|not attached/i.test(e.message)) {
        throw e;
      }
    }
  }
}

const click = (page, selector) => clickSteady(page, () => page.waitForSelector(selector, WAIT));

async function openDetail(page) {
  await clickSteady(page, async () => (await row(page)).$('td.rule'));
  await page.waitForSelector('#detail .triage', WAIT);
}

// Types a note; the pane keeps the note and its focus across a redraw, which this checks.
async function writeNote(page, text) {
  await click(page, '#detail .triage-note');
  await page.keyboard.type(text);
  assert.equal(await page.$eval('#detail .triage-note', (e) => e.value), text, 'the note as typed');
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  // As root in a sandbox-less container; no background traffic to hosts this network cannot reach.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  step('the analyst signs in and is named in the header');
  const analyst = await signIn(browser, env('ANALYST_TOKEN'));
  await analyst.waitForFunction((name) => document.querySelector('#who').textContent === `${name} (analyst)`,
    WAIT, env('ANALYST_NAME'));

  step('a file dropped into the inbox raises an alert that appears live, open');
  const staged = path.join(env('VIGIL_INBOX'), '..', 'staged-browser.json');
  copyFileSync(env('ALERT_FILE'), staged);
  const dropped = Date.now();
  renameSync(staged, path.join(env('VIGIL_INBOX'), 'browser-test.json'));
  await row(analyst);
  console.log(`  the row appeared ${Date.now() - dropped} ms after the file was dropped`);
  assert.equal(await rowStatus(analyst), 'open');

  step('a sort by a column header and the filters go into the address, and a reload keeps them');
  await analyst.click('th[data-sort="count"]');
  await analyst.waitForFunction(() => document.querySelector('th[data-sort="count"]').getAttribute('aria-sort') === 'descending');
  await analyst.select('#filter-status', 'active');
  assert.match(analyst.url(), /status=active/);
  assert.match(analyst.url(), /sort=count%3Adesc/);
  await analyst.reload();
  await analyst.waitForSelector('#status.live', WAIT);
  assert.equal(await analyst.$eval('#filter-status', (e) => e.value), 'active');
  assert.equal(await analyst.$eval('th[data-sort="count"]', (e) => e.getAttribute('aria-sort')), 'descending');
  await row(analyst);

  step('the analyst acknowledges it with a note; the row and the history change in place');
  await openDetail(analyst);
  await writeNote(analyst, NOTE);
  await click(analyst, '#detail button[data-action="status:acknowledged"]');
  await awaitRowStatus(analyst, 'acknowledged');
  await analyst.waitForFunction((note) => document.querySelector('#detail .history')?.textContent.includes(note),
    WAIT, NOTE);
  assert.equal(await analyst.evaluate(() => window.pwned), undefined, 'the note ran as HTML');
  assert.equal(await analyst.$('#detail .history img'), null, 'the note became an element');

  step('with "open or acknowledged", the acknowledged alert stays listed');
  await row(analyst);

  step('a reload keeps the acknowledgement and its note');
  await analyst.reload();
  await analyst.waitForSelector('#status.live', WAIT);
  await awaitRowStatus(analyst, 'acknowledged');
  await openDetail(analyst);
  await analyst.waitForFunction((name, note) => {
    const history = document.querySelector('#detail .history');
    return history && history.textContent.includes(name) && history.textContent.includes(note);
  }, WAIT, env('ANALYST_NAME'), NOTE);

  step('the viewer sees the state and no way to change it; a change sent anyway is refused');
  const viewer = await signIn(browser, env('VIEWER_TOKEN'));
  await viewer.waitForFunction((name) => document.querySelector('#who').textContent === `${name} (viewer)`,
    WAIT, env('VIEWER_NAME'));
  await awaitRowStatus(viewer, 'acknowledged');
  await openDetail(viewer);
  assert.equal((await viewer.$$('#detail .triage button:not([data-action="events"]), #detail .triage textarea,'
    + ' #detail .triage select')).length, 0, 'a viewer has no controls but the download');
  const alertId = await viewer.evaluate(async (ruleId) => {
    const response = await fetch(`/api/alerts?rule=${encodeURIComponent(ruleId)}`);
    return (await response.json()).alerts[0].alert_id;
  }, rule);
  const refused = await viewer.evaluate(async (id) => {
    const response = await fetch(`/api/alerts/${id}/status`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"status":"resolved"}',
    });
    return { status: response.status, body: await response.text() };
  }, alertId);
  assert.equal(refused.status, 403, refused.body);

  step('the viewer downloads the events behind the alert');
  await click(viewer, '#detail button[data-action="events"]');
  await viewer.waitForFunction(() => /^ [1-9][0-9]* events$/.test(document.querySelector('#detail .events-status')?.textContent ?? ''),
    WAIT);

  step('j selects the first row and a acknowledges it from the keyboard (after a reopen)');
  await click(analyst, '#detail button[data-action="status:open"]');
  await awaitRowStatus(analyst, 'open');
  await analyst.reload();
  await analyst.waitForSelector('#status.live', WAIT);
  await row(analyst);
  await analyst.focus('body');
  await analyst.keyboard.press('j');
  await analyst.waitForSelector('tr.alert.selected', WAIT);
  assert.ok((await analyst.$eval('tr.alert.selected', (tr) => tr.textContent)).includes(rule));
  await analyst.keyboard.press('a');
  await awaitRowStatus(analyst, 'acknowledged');
  await analyst.select('#filter-status', '');

  step('the incidents tab shows the alert in an incident, with its timeline');
  await viewer.click('#tab-incidents');
  await viewer.waitForFunction((ruleId) => [...document.querySelectorAll('tr.incident')]
    .some((tr) => tr.textContent.includes(ruleId)), WAIT, rule);
  await click(viewer, 'tr.incident');
  await viewer.waitForSelector('#incident-detail .timeline li', WAIT);
  await viewer.click('#tab-alerts');

  step('the analyst mutes the rule for the account; the next occurrence is kept, marked muted');
  await openDetail(analyst);
  await writeNote(analyst, 'Stratus test account: expected');
  await analyst.select('#detail .mute-scope', 'account');
  await click(analyst, '#detail button[data-action="mute"]');
  await analyst.waitForFunction(() => document.querySelector('#detail .triage-error')?.textContent.startsWith('Muted until'),
    WAIT);
  const again = JSON.parse(readFileSync(env('ALERT_FILE'), 'utf8'));
  for (const event of Array.isArray(again) ? again : again.Records) {
    event.eventID = randomUUID();
  }
  const stagedAgain = path.join(env('VIGIL_INBOX'), '..', 'staged-again.json');
  writeFileSync(stagedAgain, JSON.stringify(again));
  renameSync(stagedAgain, path.join(env('VIGIL_INBOX'), 'browser-test-again.json'));
  await analyst.waitForFunction((ruleId) => [...document.querySelectorAll('tr.alert')]
    .find((tr) => tr.textContent.includes(ruleId))?.querySelector('.status-badge.muted'), WAIT, rule);

  step('the mutes tab lists the mute, and the analyst removes it');
  await analyst.click('#tab-mutes');
  await analyst.waitForSelector('#mute-rows button[data-action^="unmute:"]', WAIT);
  await click(analyst, '#mute-rows button[data-action^="unmute:"]');
  await analyst.waitForFunction(() => document.querySelector('#mute-rows tr')?.textContent.includes('removed by'), WAIT);
  await analyst.click('#tab-alerts');

  step("the analyst resolves it; the viewer's open page follows without a reload");
  // With no alert selected, only the stream's triage event can change the viewer's row.
  await viewer.reload();
  await viewer.waitForSelector('#status.live', WAIT);
  await awaitRowStatus(viewer, 'acknowledged');
  await click(analyst, '#detail button[data-action="status:resolved"]');
  await awaitRowStatus(analyst, 'resolved');
  await awaitRowStatus(viewer, 'resolved');
  console.log('ok: every step held');
} finally {
  await browser.close();
}
