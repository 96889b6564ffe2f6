// Tests of the console's browser code that need no browser (node --test; run by ConsoleScriptTest
// during ./mvnw verify). The DOM is a small recording stand-in: it implements only what view.mjs
// may use, and fails any use of HTML parsing (innerHTML and friends).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import {
  AlertBoard, accountChoices, alertDetail, alertRow, countBySeverity, coverageEvents, coverageRow, coverageRules, h,
  matches, noFilter,
  postureRow,
  fromQuery, histogram, incidentRow, incidentTimeline, muteRow, pageOf, ruleChoices, select, shortEntity, shortTime, statusOf, toQuery, triagePanel, visible,
} from '../../main/resources/io/vigil/app/console/view.mjs';

const CONSOLE_DIR = fileURLToPath(new URL('../../main/resources/io/vigil/app/console/', import.meta.url));

class FakeText {
  constructor(data) {
    this.nodeType = 3;
    this.data = data;
  }
}

class FakeElement {
  constructor(tagName) {
    this.nodeType = 1;
    this.tagName = tagName.toUpperCase();
    this.attributes = new Map();
    this.children = [];
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  appendChild(node) {
    assert.ok(node instanceof FakeElement || node instanceof FakeText, 'only nodes are appended');
    this.children.push(node);
    return node;
  }

  set innerHTML(html) {
    throw new Error(`innerHTML used with ${html}`);
  }

  set outerHTML(html) {
    throw new Error(`outerHTML used with ${html}`);
  }

  insertAdjacentHTML() {
    throw new Error('insertAdjacentHTML used');
  }

  get textContent() {
    return this.children.map((c) => (c instanceof FakeText ? c.data : c.textContent)).join('');
  }

  /** Every element below (and including) this one. */
  elements() {
    return [this, ...this.children.filter((c) => c instanceof FakeElement).flatMap((c) => c.elements())];
  }

  /** Every text node below this one. */
  texts() {
    return this.children.flatMap((c) => (c instanceof FakeText ? [c.data] : c.texts()));
  }
}

const doc = {
  createElement: (tag) => new FakeElement(tag),
  createTextNode: (data) => new FakeText(data),
  write() {
    throw new Error('document.write used');
  },
};

function alert(fields) {
  return {
    alert_id: 'a1', rule_id: 'aws-root-account-usage', title: 'Root account used', severity: 'high',
    account_id: '111122223333', region: 'us-east-1', entity: 'arn:aws:iam::111122223333:root',
    first_seen: '2026-11-28T10:00:00Z', last_seen: '2026-11-28T10:05:00Z', count: 1, event_ids: ['e1'],
    compliance: ['CIS-AWS 1.7'], attack: ['T1078.004'], dedup_key: 'aws-root-account-usage:1:1',
    description: 'The root user was used.', evidence: { eventName: 'ConsoleLogin' }, update: 0,
    rule_author: 'Vigil', source: 'cloudtrail', account_name: null, ...fields,
  };
}

test('an update with the same dedup key and a higher update number replaces the alert', () => {
  const board = new AlertBoard();
  assert.equal(board.apply(alert({ count: 1, update: 0 })), true);
  assert.equal(board.apply(alert({ count: 5, update: 1 })), true);
  assert.equal(board.size, 1);
  assert.equal(board.get('aws-root-account-usage:1:1').count, 5);
});

test('an older publication of an alert never replaces a newer one', () => {
  const board = new AlertBoard();
  board.apply(alert({ count: 5, update: 3 }));
  assert.equal(board.apply(alert({ count: 2, update: 1 })), false);
  assert.equal(board.get('aws-root-account-usage:1:1').count, 5);
});

test('alerts with different dedup keys are different rows, and a removal drops one', () => {
  const board = new AlertBoard();
  board.apply(alert({ dedup_key: 'k1' }));
  board.apply(alert({ dedup_key: 'k2' }));
  assert.equal(board.size, 2);
  assert.equal(board.remove('k1'), true);
  assert.deepEqual(board.all().map((a) => a.dedup_key), ['k2']);
  assert.equal(board.apply({ no: 'dedup key' }), false);
});

test('alerts are listed newest first by last seen', () => {
  const alerts = [
    alert({ dedup_key: 'old', last_seen: '2026-11-28T09:00:00Z' }),
    alert({ dedup_key: 'new', last_seen: '2026-11-28T11:00:00Z' }),
    alert({ dedup_key: 'mid', last_seen: '2026-11-28T10:00:00Z' }),
  ];
  assert.deepEqual(select(alerts, noFilter()).map((a) => a.dedup_key), ['new', 'mid', 'old']);
});

test('the filters select by minimum severity, rule, account and free text in evidence', () => {
  const low = alert({ dedup_key: 'low', severity: 'low', rule_id: 'r-low', account_id: '1' });
  const critical = alert({
    dedup_key: 'crit', severity: 'critical', rule_id: 'r-crit', account_id: '2',
    evidence: { sourceIPAddress: '203.0.113.7' },
  });
  const both = [low, critical];
  assert.deepEqual(select(both, { ...noFilter(), minSeverity: 'high' }).map((a) => a.dedup_key), ['crit']);
  assert.deepEqual(select(both, { ...noFilter(), minSeverity: 'low' }).length, 2);
  assert.deepEqual(select(both, { ...noFilter(), rule: 'r-low' }).map((a) => a.dedup_key), ['low']);
  assert.deepEqual(select(both, { ...noFilter(), account: '2' }).map((a) => a.dedup_key), ['crit']);
  assert.deepEqual(select(both, { ...noFilter(), text: '203.0.113' }).map((a) => a.dedup_key), ['crit']);
  assert.equal(matches(low, { ...noFilter(), text: 'CIS-AWS 1.7' }), true);
  assert.equal(matches(low, { ...noFilter(), text: 'nowhere' }), false);
});

test('counts by severity include every severity', () => {
  const counts = countBySeverity([alert({ severity: 'high' }), alert({ severity: 'high' }), alert({ severity: 'low' })]);
  assert.deepEqual(counts, { info: 0, low: 1, medium: 0, high: 2, critical: 0 });
});

test('the rule and account choices come from the alerts, with titles and account names', () => {
  const alerts = [alert({ rule_id: 'b', title: 'B' }), alert({ rule_id: 'a', title: 'A', account_name: 'prod' })];
  assert.deepEqual(ruleChoices(alerts), [['a', 'A'], ['b', 'B']]);
  assert.deepEqual(accountChoices(alerts), [['111122223333', 'prod']]);
});

test('a triage change sets the status and assignee of the alert it names, and only of that one', () => {
  const board = new AlertBoard();
  board.apply(alert({ alert_id: 'a1', dedup_key: 'k1' }));
  board.apply(alert({ alert_id: 'a2', dedup_key: 'k2' }));
  assert.equal(statusOf(board.get('k1')), 'open');
  assert.equal(board.applyTriage({ alert_id: 'a1', status: 'acknowledged', assignee: 'alice' }), true);
  assert.equal(board.get('k1').status, 'acknowledged');
  assert.equal(board.get('k1').assignee, 'alice');
  assert.equal(statusOf(board.get('k2')), 'open');
  assert.equal(board.applyTriage({ alert_id: 'a1', status: 'acknowledged', assignee: 'alice' }), false, 'nothing new');
  assert.equal(board.applyTriage({ alert_id: 'unknown', status: 'resolved' }), false);
  assert.equal(board.applyTriage({ alert_id: 'a1', status: 'closed' }), false, 'not a status');
  board.remove('k1');
  assert.equal(board.applyTriage({ alert_id: 'a1', status: 'resolved' }), false, 'removed alerts stay removed');
});

test('the status filter selects one status, or open and acknowledged together', () => {
  const alerts = [
    alert({ dedup_key: 'new' }),
    alert({ dedup_key: 'ack', status: 'acknowledged' }),
    alert({ dedup_key: 'done', status: 'resolved' }),
    alert({ dedup_key: 'fp', status: 'false_positive' }),
  ];
  const only = (status) => select(alerts, { ...noFilter(), status }).map((a) => a.dedup_key).sort();
  assert.deepEqual(only('active'), ['ack', 'new']);
  assert.deepEqual(only('open'), ['new']);
  assert.deepEqual(only('resolved'), ['done']);
  assert.deepEqual(only('false_positive'), ['fp']);
  assert.equal(only('').length, 4);
});

test('the row shows the status, reopened when a resolved alert matched again, and the assignee', () => {
  const row = alertRow(doc, alert({ status: 'open', reopened: true, assignee: 'bob' }), false);
  assert.ok(row.textContent.includes('open (reopened)'));
  assert.ok(row.texts().includes('bob'));
  assert.ok(alertRow(doc, alert({ status: 'false_positive' }), false).textContent.includes('false positive'));
});

test('the triage panel offers every other status to analysts and nothing to viewers, notes as text', () => {
  const history = [
    { at: '2026-12-04T10:00:00.123Z', by: 'alice', status: 'acknowledged', note: '<img src=x onerror=alert(1)>' },
    { at: '2026-12-04T10:01:00Z', by: '<b>mallory</b>', assignee: null },
  ];
  const acknowledged = alert({ status: 'acknowledged', assignee: 'alice' });
  const panel = triagePanel(doc, acknowledged, history, true, 'alice');
  const actions = panel.elements().map((e) => e.getAttribute('data-action')).filter(Boolean);
  assert.deepEqual(actions, ['events', 'status:resolved', 'status:false_positive', 'status:open', 'assign:none', 'mute']);
  assert.ok(panel.texts().includes('<img src=x onerror=alert(1)>'));
  assert.ok(panel.texts().includes('<b>mallory</b>'));
  assert.ok(panel.elements().every((e) => !['IMG', 'B'].includes(e.tagName)));
  assert.ok(panel.textContent.includes('unassigned'), 'an unassignment is listed');

  const readOnly = triagePanel(doc, acknowledged, history, false, 'bob');
  assert.deepEqual(readOnly.elements().filter((e) => ['BUTTON', 'TEXTAREA', 'SELECT'].includes(e.tagName)).map((e) => e.getAttribute('data-action')), ['events'], 'a viewer may only download');
  const unassigned = triagePanel(doc, alert({}), [], true, 'alice');
  assert.ok(unassigned.elements().some((e) => e.getAttribute('data-action') === 'assign:me'));
  assert.ok(unassigned.textContent.includes('No changes yet.'));
});

test('the table sorts by severity then newest by default, and by any column either way', () => {
  const alerts = [
    alert({ dedup_key: 'high-old', severity: 'high', last_seen: '2026-11-28T09:00:00Z', count: 9 }),
    alert({ dedup_key: 'crit', severity: 'critical', last_seen: '2026-11-28T08:00:00Z', count: 1 }),
    alert({ dedup_key: 'high-new', severity: 'high', last_seen: '2026-11-28T10:00:00Z', count: 3 }),
    alert({ dedup_key: 'low', severity: 'low', last_seen: '2026-11-28T11:00:00Z', count: 5 }),
  ];
  const keys = (sort) => select(alerts, noFilter(), sort, Date.parse('2026-11-29T00:00:00Z')).map((a) => a.dedup_key);
  assert.deepEqual(keys(undefined), ['crit', 'high-new', 'high-old', 'low']);
  assert.deepEqual(keys({ key: 'severity', dir: 'asc' }), ['low', 'high-new', 'high-old', 'crit']);
  assert.deepEqual(keys({ key: 'count', dir: 'desc' }), ['high-old', 'low', 'high-new', 'crit']);
  assert.deepEqual(keys({ key: 'last_seen', dir: 'desc' }), ['low', 'high-new', 'high-old', 'crit']);
});

test('the time range keeps the alerts last seen within it', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  const alerts = [
    alert({ dedup_key: 'recent', last_seen: '2026-11-28T11:30:00Z' }),
    alert({ dedup_key: 'today', last_seen: '2026-11-28T01:00:00Z' }),
    alert({ dedup_key: 'old', last_seen: '2026-11-01T00:00:00Z' }),
  ];
  const keys = (range) => select(alerts, { ...noFilter(), range }, undefined, now).map((a) => a.dedup_key).sort();
  assert.deepEqual(keys('1h'), ['recent']);
  assert.deepEqual(keys('24h'), ['recent', 'today']);
  assert.deepEqual(keys(''), ['old', 'recent', 'today']);
});

test('10,000 alerts are shown a page at a time, the page clamped to those there are', () => {
  const items = Array.from({ length: 10_000 }, (_, i) => i);
  assert.deepEqual(pageOf(items, 0, 100).items.slice(0, 2), [0, 1]);
  assert.equal(pageOf(items, 0, 100).pages, 100);
  assert.deepEqual(pageOf(items, 99, 100).items.slice(-1), [9999]);
  assert.equal(pageOf(items, 500, 100).page, 99);
  assert.deepEqual(pageOf([], 3, 100), { items: [], page: 0, pages: 1 });
});

test('the histogram counts alerts per time slice and severity, leaving out those outside', () => {
  const from = Date.parse('2026-11-28T00:00:00Z');
  const to = from + 4 * 3_600_000;
  const slices = histogram([
    alert({ severity: 'high', last_seen: '2026-11-28T00:10:00Z' }),
    alert({ severity: 'high', last_seen: '2026-11-28T00:50:00Z' }),
    alert({ severity: 'critical', last_seen: '2026-11-28T03:59:59Z' }),
    alert({ severity: 'low', last_seen: '2026-11-28T04:00:00Z' }),
    alert({ severity: 'low', last_seen: 'not a time' }),
  ], from, to, 4);
  assert.equal(slices.length, 4);
  assert.equal(slices[0].counts.high, 2);
  assert.equal(slices[3].counts.critical, 1);
  assert.equal(slices.reduce((n, s) => n + s.counts.low, 0), 0);
});

test('filters and order go into the address and come back from it; bad values are dropped', () => {
  const filter = { ...noFilter(), minSeverity: 'high', status: 'active', range: '24h', text: 'alice & bob' };
  const query = toQuery(filter, { key: 'count', dir: 'asc' });
  assert.equal(query, 'severity=high&status=active&range=24h&q=alice+%26+bob&sort=count%3Aasc');
  assert.deepEqual(fromQuery(`?${query}`), { filter, sort: { key: 'count', dir: 'asc' } });
  assert.equal(toQuery(noFilter(), { key: 'severity', dir: 'desc' }), '');
  const bad = fromQuery('?severity=urgent&status=closed&range=1y&sort=__proto__:up');
  assert.deepEqual(bad, { filter: noFilter(), sort: { key: 'severity', dir: 'desc' } });
});

test('long entities are shortened for the table, ARNs to their account and resource, with the whole in the title', () => {
  const arn = 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com';
  const short = shortEntity(arn);
  assert.ok(short.length <= 34, short);
  assert.ok(short.endsWith('alice@example.com'));
  assert.equal(shortEntity('arn:aws:iam::111122223333:user/alice'), '111122223333:user/alice');
  assert.equal(shortEntity('203.0.113.69'), '203.0.113.69');
  assert.equal(shortEntity('x'.repeat(50)).length, 33);
  const row = alertRow(doc, alert({ entity: arn }), false);
  const cell = row.elements().find((e) => (e.getAttribute('class') ?? '').includes('entity'));
  assert.equal(cell.getAttribute('title'), arn);
});

test('a row shows three tags, ATT&CK first, and how many more; the detail shows them all', () => {
  const many = alert({ compliance: ['CIS-AWS 3.1', 'CIS-AWS 4.5', 'PCI-DSS 10.2.1.6', 'HIPAA 164.312(b)', 'SOC2 CC7.2'],
    attack: ['TA0005', 'T1562.008'] });
  const row = alertRow(doc, many, false);
  const tagTexts = row.elements().filter((e) => (e.getAttribute('class') ?? '').startsWith('tag ')).map((e) => e.textContent);
  assert.deepEqual(tagTexts, ['TA0005', 'T1562.008', 'CIS-AWS 3.1', '+4']);
  assert.ok(alertDetail(doc, many).textContent.includes('SOC2 CC7.2'));
});

test('an incident row names its pivots, and its timeline lists the alerts as text', () => {
  const incident = {
    incident_id: 'a1', severity: 'critical', alert_count: 2, first_seen: '2026-12-04T10:00:00Z',
    last_seen: '2026-12-04T10:40:00Z', rules: ['aws-console-brute-force', 'aws-root-account-usage'],
    pivots: { 'source address': ['203.0.113.7'], principal: ['<script>x()</script>'] },
    timeline: [
      { alert_id: 'a1', title: '<img src=x onerror=alert(1)>', severity: 'high', entity: '203.0.113.7',
        first_seen: '2026-12-04T10:00:00Z', last_seen: '2026-12-04T10:02:00Z', count: 6 },
      { alert_id: 'a2', title: 'Root account used', severity: 'critical', entity: 'arn:aws:iam::1:root',
        first_seen: '2026-12-04T10:40:00Z', last_seen: '2026-12-04T10:40:00Z', count: 1 },
    ],
  };
  const row = incidentRow(doc, incident, false);
  assert.ok(row.textContent.includes('source address: 203.0.113.7'));
  assert.ok(row.texts().some((t) => t.includes('<script>x()</script>')));
  const timeline = incidentTimeline(doc, incident);
  assert.ok(timeline.textContent.includes('Incident of 2 alerts'));
  assert.ok(timeline.texts().includes('<img src=x onerror=alert(1)>'));
  assert.ok([...row.elements(), ...timeline.elements()].every((e) => !['SCRIPT', 'IMG'].includes(e.tagName)));
});

test('a muted alert says so in its row; a mute row offers Remove only while in force, to analysts', () => {
  assert.ok(alertRow(doc, alert({ muted_by: 'm1' }), false).textContent.includes('muted'));
  assert.ok(!alertRow(doc, alert({}), false).textContent.includes('muted'));
  const mute = { suppression_id: 'm1', rule_id: 'r', scope: 'entity', value: '<b>x</b>', until: '2026-12-05T10:00:00Z',
    reason: '<script>y()</script>', created_by: 'alice', created_at: '2026-12-04T10:00:00Z', in_force: true };
  const row = muteRow(doc, mute, true);
  assert.ok(row.elements().some((e) => e.getAttribute('data-action') === 'unmute:m1'));
  assert.ok(row.texts().includes('<script>y()</script>'));
  assert.ok(row.elements().every((e) => !['SCRIPT', 'B'].includes(e.tagName)));
  assert.ok(!muteRow(doc, mute, false).elements().some((e) => e.tagName === 'BUTTON'));
  const removed = muteRow(doc, { ...mute, in_force: false, removed_at: '2026-12-04T11:00:00Z', removed_by: 'bob' }, true);
  assert.ok(removed.textContent.includes('removed by bob'));
  assert.ok(!removed.elements().some((e) => e.tagName === 'BUTTON'));
});

test('a script in the entity of an alert is shown as text, never as an element', () => {
  const attack = '<script>alert(document.cookie)</script>';
  const row = alertRow(doc, alert({ entity: attack, title: '<img src=x onerror=alert(1)>' }), false);
  assert.ok(row.elements().every((e) => e.tagName !== 'SCRIPT' && e.tagName !== 'IMG'));
  assert.ok(row.texts().includes(shortEntity(attack)));
  assert.ok(row.elements().some((e) => e.getAttribute('title') === attack), 'the whole entity is in the title');
  assert.ok(row.textContent.includes('<img src=x onerror=alert(1)>'));
});

test('script and markup in evidence, event ids and the description stay text in the detail panel', () => {
  const detail = alertDetail(doc, alert({
    description: '<b>bold</b>',
    evidence: { 'requestParameters.bucketName': '"><script>steal()</script>', '<svg onload=x>': 'key' },
    event_ids: ['<iframe src=javascript:alert(1)>'],
    account_name: '<marquee>prod</marquee>',
  }));
  const tags = new Set(detail.elements().map((e) => e.tagName));
  for (const forbidden of ['SCRIPT', 'B', 'SVG', 'IFRAME', 'MARQUEE']) {
    assert.ok(!tags.has(forbidden), `no ${forbidden} element`);
  }
  const texts = detail.texts();
  assert.ok(texts.includes('"><script>steal()</script>'));
  assert.ok(texts.includes('<svg onload=x>'));
  assert.ok(texts.includes('<iframe src=javascript:alert(1)>'));
  assert.ok(detail.elements().every((e) => [...e.attributes.keys()].every((name) => !name.startsWith('on'))));
});

test('the detail panel shows the description, every evidence field, the event ids and the dedup key', () => {
  const detail = alertDetail(doc, alert({ event_ids: ['e1', 'e2'], evidence: { a: '1', b: '2' } }));
  const text = detail.textContent;
  for (const expected of ['The root user was used.', 'e1', 'e2', 'aws-root-account-usage:1:1', '111122223333', 'T1078.004']) {
    assert.ok(text.includes(expected), `detail shows ${expected}`);
  }
  const evidenceRows = detail.elements().filter((e) => e.tagName === 'TABLE')[0].elements().filter((e) => e.tagName === 'TR');
  assert.deepEqual(evidenceRows.map((r) => r.texts()), [['a', '1'], ['b', '2']]);
});

test('bidi overrides, zero-width and control characters of alert text are shown as [U+XXXX]', () => {
  const row = alertRow(doc, alert({ entity: 'invoice\u202Efdp.exe', title: 'a\u200Bb\u001B[2Jc' }), false);
  assert.ok(row.texts().includes('invoice[U+202E]fdp.exe'));
  assert.ok(row.textContent.includes('a[U+200B]b[U+001B][2Jc'));
  const detail = alertDetail(doc, alert({ evidence: { 'key\u2066': 'v\uFEFF\u2069' }, event_ids: ['e\u200F'] }));
  const texts = detail.texts();
  assert.ok(texts.includes('key[U+2066]'));
  assert.ok(texts.includes('v[U+FEFF][U+2069]'));
  assert.ok(texts.includes('e[U+200F]'));
  assert.ok(detail.texts().every((t) => !/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u001B]/.test(t)));
  assert.equal(visible('plain text, tabs\tand\nnewlines, accents é and 日本'), 'plain text, tabs\tand\nnewlines, accents é and 日本');
});

test('a dedup key with markup is an attribute value, and unknown severities get no class of their own', () => {
  const row = alertRow(doc, alert({ dedup_key: '" onclick="x', severity: 'x" onmouseover="y' }), true);
  assert.equal(row.getAttribute('data-key'), '" onclick="x');
  assert.equal(row.getAttribute('onclick'), null);
  assert.ok(row.getAttribute('class').includes('sev-unknown'));
});

test('the element builder refuses event handler, URL and style attributes', () => {
  assert.throws(() => h(doc, 'a', { href: 'javascript:alert(1)' }), /attribute not allowed: href/);
  assert.throws(() => h(doc, 'div', { onclick: 'x' }), /attribute not allowed: onclick/);
  assert.throws(() => h(doc, 'div', { style: 'x' }), /attribute not allowed: style/);
});

test('posture rows show the failing controls as text', () => {
  const row = postureRow(doc, {
    arn: 'arn:aws:s3:::<script>x</script>', resource_type: 'AWS::S3::Bucket', account_id: '1', region: 'eu-west-1',
    failing_controls: ['CIS-AWS 2.1.5'], updated_at: '2026-11-28T10:00:00.123Z',
  });
  assert.ok(row.texts().includes('arn:aws:s3:::<script>x</script>'));
  assert.ok(row.texts().includes('CIS-AWS 2.1.5'));
  assert.ok(row.texts().includes('2026-11-28 10:00:00Z'));
  assert.ok(row.elements().every((e) => e.tagName !== 'SCRIPT'));
});

test('coverage lists each rule once with all its techniques, rules blind for lack of events first', () => {
  const coverage = {
    tactics: [
      { id: 'TA0005', techniques: [{ id: 'T1562.008', rules: [
        { id: 'aws-cloudtrail-logging-disabled', level: 'critical', telemetry: 'cloudtrail: eventName stoplogging',
          telemetry_seen: true, last_event: '2026-12-04T10:00:00Z', last_fired: '2026-12-04T10:00:01Z', alerts: 2 },
        { id: 'aws-kms-key-disabled-or-deleted', title: 'KMS key <b>disabled</b>', level: 'high',
          telemetry: 'cloudtrail: eventName <img src=x>', telemetry_seen: false, last_event: null, last_fired: null,
          alerts: 0 }] }] },
      { id: 'TA0040', techniques: [{ id: 'T1485', rules: [
        { id: 'aws-kms-key-disabled-or-deleted', level: 'high', telemetry: 'cloudtrail: eventName <img src=x>',
          telemetry_seen: false, last_event: null, last_fired: null, alerts: 0 },
        { id: 'aws-s3-bucket-public', level: 'high', telemetry: 'cloudtrail: eventName putbucketacl',
          telemetry_seen: false, service_seen: true, last_event: null, last_fired: null, alerts: 0 }] }] },
    ],
  };
  const rules = coverageRules(coverage);
  assert.deepEqual(rules.map((r) => r.id),
    ['aws-kms-key-disabled-or-deleted', 'aws-s3-bucket-public', 'aws-cloudtrail-logging-disabled']);
  assert.ok(coverageRow(doc, rules[1]).texts().includes('quiet'));
  assert.equal(coverageEvents({ id: 'vigil-ingest-gap', telemetry: null, telemetry_seen: null }), '-');
  assert.deepEqual(rules[0].attack, ['TA0005', 'T1562.008', 'TA0040', 'T1485']);
  const blind = coverageRow(doc, rules[0]);
  assert.ok(blind.texts().includes('not seen'));
  assert.ok(blind.texts().includes('cloudtrail: eventName <img src=x>'));
  assert.ok(blind.texts().includes('KMS key <b>disabled</b>'));
  assert.ok(blind.elements().every((e) => e.tagName !== 'IMG' && e.tagName !== 'B'));
  assert.equal(blind.getAttribute('class'), 'blind');
  const fired = coverageRow(doc, rules[2]);
  assert.ok(fired.texts().includes('seen'));
  assert.ok(fired.texts().includes('2026-12-04 10:00:01Z'));
  assert.ok(fired.texts().includes('2'));
});

test('times are shortened for tables and other values are kept', () => {
  assert.equal(shortTime('2026-11-28T10:00:00Z'), '2026-11-28 10:00:00Z');
  assert.equal(shortTime(null), '');
  assert.equal(shortTime('yesterday'), 'yesterday');
});

test('no console script parses HTML (innerHTML, outerHTML, insertAdjacentHTML, document.write, eval)', () => {
  const scripts = readdirSync(CONSOLE_DIR).filter((f) => f.endsWith('.mjs'));
  assert.ok(scripts.includes('app.mjs') && scripts.includes('view.mjs'));
  for (const file of scripts) {
    const source = readFileSync(path.join(CONSOLE_DIR, file), 'utf8');
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function']) {
      assert.ok(!source.includes(sink), `${file} uses ${sink}`);
    }
  }
});

test('every console script is valid JavaScript', () => {
  for (const file of readdirSync(CONSOLE_DIR).filter((f) => f.endsWith('.mjs'))) {
    execFileSync(process.execPath, ['--check', path.join(CONSOLE_DIR, file)]);
  }
});
