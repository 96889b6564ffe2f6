// The console's logic that does not need a browser: the alert board (latest state of each alert),
// filters, ordering, counts, and the building of rows and panels. Rendering builds elements and
// text nodes only (createElement, createTextNode, setAttribute, appendChild): text from alerts comes
// from attacker-controlled log fields and is never parsed as HTML. The Node tests in
// deploy/src/test/js exercise this module with a recording stand-in for `document`.

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

/** Where an alert stands in triage, in the order a case moves. */
export const STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'];

/** A status as people read it. */
export function statusLabel(status) {
  return STATUSES.includes(status) ? status.replace('_', ' ') : 'open';
}

/** The index of a severity in SEVERITIES, -1 for anything else. */
export function severityRank(severity) {
  return SEVERITIES.indexOf(severity);
}

/**
 * The latest state of every alert, by dedup key. A publication replaces the alert with the same
 * dedup key unless it is older (a lower `update`): the snapshot and the live feed may overlap,
 * and a stale copy must never overwrite a newer one.
 */
export class AlertBoard {
  constructor() {
    this.byKey = new Map();
    // alert_id -> dedup_key: triage changes name the alert by its id.
    this.keyById = new Map();
  }

  /** Takes a publication; true when it changed the board. */
  apply(alert) {
    if (!alert || typeof alert.dedup_key !== 'string') {
      return false;
    }
    const current = this.byKey.get(alert.dedup_key);
    if (current && updateOf(current) > updateOf(alert)) {
      return false;
    }
    this.byKey.set(alert.dedup_key, alert);
    if (typeof alert.alert_id === 'string') {
      this.keyById.set(alert.alert_id, alert.dedup_key);
    }
    return true;
  }

  /**
   * Takes a triage change ({alert_id, status, assignee}): the alert's status and assignee become
   * those; true when the alert is on the board and changed.
   */
  applyTriage(change) {
    const key = change && this.keyById.get(change.alert_id);
    const current = key === undefined ? undefined : this.byKey.get(key);
    if (!current || !STATUSES.includes(change.status)) {
      return false;
    }
    const assignee = change.assignee ?? null;
    if (current.status === change.status && (current.assignee ?? null) === assignee && !current.reopened) {
      return false;
    }
    this.byKey.set(key, { ...current, status: change.status, assignee, reopened: false });
    return true;
  }

  /** The dedup key of the alert with this id, if it is on the board. */
  keyOf(alertId) {
    return this.keyById.get(alertId);
  }

  /** Drops an alert (its tombstone was published); true when it was there. */
  remove(dedupKey) {
    const alert = this.byKey.get(dedupKey);
    if (alert && typeof alert.alert_id === 'string') {
      this.keyById.delete(alert.alert_id);
    }
    return this.byKey.delete(dedupKey);
  }

  get(dedupKey) {
    return this.byKey.get(dedupKey);
  }

  get size() {
    return this.byKey.size;
  }

  all() {
    return [...this.byKey.values()];
  }
}

function updateOf(alert) {
  return Number.isFinite(alert.update) ? alert.update : 0;
}

/** Newest first: latest last_seen, then latest first_seen, then dedup key (a stable order). */
export function newestFirst(a, b) {
  return compareDesc(a.last_seen, b.last_seen) || compareDesc(a.first_seen, b.first_seen)
    || String(a.dedup_key).localeCompare(String(b.dedup_key));
}

function compareDesc(x, y) {
  const tx = Date.parse(x);
  const ty = Date.parse(y);
  const vx = Number.isNaN(tx) ? -Infinity : tx;
  const vy = Number.isNaN(ty) ? -Infinity : ty;
  return vx === vy ? 0 : (vx < vy ? 1 : -1);
}

/** The time ranges of the filter, on last seen: label -> milliseconds. */
export const RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** An empty filter: everything passes. */
export function noFilter() {
  return { minSeverity: '', rule: '', account: '', status: '', range: '', text: '' };
}

/** An alert's triage status ('open' when it has none: an alert nobody touched). */
export function statusOf(alert) {
  return STATUSES.includes(alert.status) ? alert.status : 'open';
}

/**
 * Whether an alert passes the filter: severity at least minSeverity, rule id equal to rule,
 * account id equal to account, status equal to status ('active': open or acknowledged), and text
 * (case-insensitive) found in any of its fields, evidence and event ids included.
 */
export function matches(alert, filter) {
  if (filter.status === 'active' && !['open', 'acknowledged'].includes(statusOf(alert))) {
    return false;
  }
  if (filter.status && filter.status !== 'active' && statusOf(alert) !== filter.status) {
    return false;
  }
  if (filter.minSeverity && severityRank(alert.severity) < severityRank(filter.minSeverity)) {
    return false;
  }
  if (filter.rule && alert.rule_id !== filter.rule) {
    return false;
  }
  if (filter.account && alert.account_id !== filter.account) {
    return false;
  }
  const text = (filter.text || '').trim().toLowerCase();
  return !text || searchable(alert).some((value) => value.toLowerCase().includes(text));
}

function searchable(alert) {
  const values = [alert.title, alert.rule_id, alert.entity, alert.account_id, alert.account_name, alert.region,
    alert.description, alert.dedup_key, alert.severity, alert.source, alert.assignee];
  for (const list of [alert.compliance, alert.attack, alert.event_ids]) {
    if (Array.isArray(list)) {
      values.push(...list);
    }
  }
  if (alert.evidence && typeof alert.evidence === 'object') {
    for (const [key, value] of Object.entries(alert.evidence)) {
      values.push(key, value);
    }
  }
  return values.filter((v) => v !== null && v !== undefined).map(String);
}

/** The columns the table sorts by, each with how two alerts compare ascending. */
export const SORTS = {
  severity: (a, b) => severityRank(a.severity) - severityRank(b.severity),
  status: (a, b) => STATUSES.indexOf(statusOf(a)) - STATUSES.indexOf(statusOf(b)),
  rule: (a, b) => String(a.title ?? a.rule_id).localeCompare(String(b.title ?? b.rule_id)),
  entity: (a, b) => String(a.entity ?? '').localeCompare(String(b.entity ?? '')),
  account: (a, b) => String(a.account_id ?? '').localeCompare(String(b.account_id ?? '')),
  region: (a, b) => String(a.region ?? '').localeCompare(String(b.region ?? '')),
  count: (a, b) => (Number(a.count) || 0) - (Number(b.count) || 0),
  first_seen: (a, b) => -compareDesc(a.first_seen, b.first_seen),
  last_seen: (a, b) => -compareDesc(a.last_seen, b.last_seen),
};

/** The default order: highest severity first, then the latest seen. */
export function defaultSort() {
  return { key: 'severity', dir: 'desc' };
}

/** A comparator for the sort: its column, then the latest seen, then the dedup key (stable). */
export function comparator(sort) {
  const column = SORTS[sort?.key] ?? SORTS.severity;
  const sign = sort?.dir === 'asc' ? 1 : -1;
  return (a, b) => sign * column(a, b) || newestFirst(a, b);
}

/**
 * The alerts that pass the filter (its time range counted back from now), in the sort's order
 * (default: severity, then newest).
 */
export function select(alerts, filter, sort = defaultSort(), now = Date.now()) {
  const since = RANGES[filter.range] ? now - RANGES[filter.range] : null;
  return alerts
    .filter((a) => matches(a, filter) && (since === null || Date.parse(a.last_seen) >= since))
    .sort(comparator(sort));
}

/** One page of a list: its items, the page shown (clamped) and how many pages there are. */
export function pageOf(items, page, size) {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const shown = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(shown * size, (shown + 1) * size), page: shown, pages };
}

/**
 * Alerts over time by severity: `buckets` equal slices of [from, to) by last seen, each with a
 * count per severity. What the histogram above the table draws.
 */
export function histogram(alerts, from, to, buckets) {
  const width = (to - from) / buckets;
  const slices = Array.from({ length: buckets }, (_, i) => ({
    start: from + i * width, counts: Object.fromEntries(SEVERITIES.map((s) => [s, 0])),
  }));
  for (const alert of alerts) {
    const t = Date.parse(alert.last_seen);
    if (Number.isNaN(t) || t < from || t >= to || !SEVERITIES.includes(alert.severity)) {
      continue;
    }
    slices[Math.min(buckets - 1, Math.floor((t - from) / width))].counts[alert.severity] += 1;
  }
  return slices;
}

const FILTER_PARAMS = { minSeverity: 'severity', rule: 'rule', account: 'account', status: 'status', range: 'range',
  text: 'q' };

/** The filter and sort as a query string, so that a link shows the same alerts (defaults left out). */
export function toQuery(filter, sort) {
  const params = new URLSearchParams();
  for (const [field, param] of Object.entries(FILTER_PARAMS)) {
    if (filter[field]) {
      params.set(param, filter[field]);
    }
  }
  const def = defaultSort();
  if (sort && (sort.key !== def.key || sort.dir !== def.dir)) {
    params.set('sort', `${sort.key}:${sort.dir}`);
  }
  return params.toString();
}

/** The filter and sort a query string (location.search) asks for; unknown values are dropped. */
export function fromQuery(search) {
  const params = new URLSearchParams(search);
  const filter = noFilter();
  for (const [field, param] of Object.entries(FILTER_PARAMS)) {
    filter[field] = params.get(param) ?? '';
  }
  if (filter.minSeverity && !SEVERITIES.includes(filter.minSeverity)) {
    filter.minSeverity = '';
  }
  if (filter.status && filter.status !== 'active' && !STATUSES.includes(filter.status)) {
    filter.status = '';
  }
  if (filter.range && !RANGES[filter.range]) {
    filter.range = '';
  }
  const [key, dir] = (params.get('sort') ?? '').split(':');
  const sort = SORTS[key] && ['asc', 'desc'].includes(dir) ? { key, dir } : defaultSort();
  return { filter, sort };
}

/**
 * An entity as the table shows it: whole when short; an ARN by its resource part; anything else
 * cut in the middle. The whole value is in the cell's title and in the detail.
 */
export function shortEntity(entity, max = 34) {
  const text = String(entity ?? '');
  if (text.length <= max) {
    return text;
  }
  if (text.startsWith('arn:')) {
    const parts = text.split(':');
    const resource = parts.slice(5).join(':');
    const account = parts[4] ? `${parts[4]}:` : '';
    const short = `${account}${resource}`;
    if (short.length <= max) {
      return short;
    }
    return `…${short.slice(short.length - max + 1)}`;
  }
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(text.length - half)}`;
}

/** How many alerts of each severity (every severity present, 0 when none). */
export function countBySeverity(alerts) {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const alert of alerts) {
    if (Object.hasOwn(counts, alert.severity)) {
      counts[alert.severity] += 1;
    }
  }
  return counts;
}

/** The rules among the alerts, as [rule id, title] pairs sorted by id: the rule filter's choices. */
export function ruleChoices(alerts) {
  const rules = new Map();
  for (const alert of alerts) {
    if (typeof alert.rule_id === 'string' && !rules.has(alert.rule_id)) {
      rules.set(alert.rule_id, String(alert.title ?? ''));
    }
  }
  return [...rules.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

/** The accounts among the alerts, as [account id, name or ''] pairs sorted by id. */
export function accountChoices(alerts) {
  const accounts = new Map();
  for (const alert of alerts) {
    if (typeof alert.account_id === 'string' && alert.account_id) {
      const name = alert.account_name ? String(alert.account_name) : (accounts.get(alert.account_id) ?? '');
      accounts.set(alert.account_id, name);
    }
  }
  return [...accounts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

/** An ISO-8601 instant as "2024-07-31 12:46:41Z" for tables; anything else as given. */
export function shortTime(value) {
  if (value === null || value === undefined || value === '') {
    return '';
  }
  const text = String(value);
  return /^\d{4}-\d\d-\d\dT/.test(text) ? text.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : text;
}

// Characters a browser obeys instead of showing: bidirectional formatting (a right-to-left
// override makes exe.pdf read as fdp.exe), zero-width and other invisible format characters, and
// controls. The Unicode classes of schemas.UntrustedText, widened to every invisible format
// character: a page has no lines or terminal to protect, only what the reader sees.
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** Text as it is shown: each invisible character as [U+202E], the convention of the reports. */
export function visible(text) {
  return text.replace(INVISIBLE, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

// Attributes this module may set; event handlers, URLs and inline styles are never among them.
const SAFE_ATTRIBUTES = new Set(['class', 'title', 'colspan', 'scope', 'role', 'tabindex', 'aria-selected',
  'aria-label', 'data-key', 'data-action', 'value', 'selected', 'hidden', 'type', 'placeholder', 'maxlength',
  'rows', 'disabled']);

/**
 * An element with attributes and children: strings (and numbers) become text nodes, null and
 * undefined are skipped, arrays are flattened. The only way this module makes elements.
 */
export function h(doc, tag, attributes, ...children) {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (!SAFE_ATTRIBUTES.has(name)) {
      throw new Error(`attribute not allowed: ${name}`);
    }
    if (value !== null && value !== undefined && value !== false) {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  appendAll(doc, element, children);
  return element;
}

function appendAll(doc, element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      appendAll(doc, element, child);
    } else if (typeof child === 'object') {
      element.appendChild(child);
    } else {
      element.appendChild(doc.createTextNode(visible(String(child))));
    }
  }
}

function severityClass(severity) {
  return severityRank(severity) >= 0 ? `sev-${severity}` : 'sev-unknown';
}

function tags(doc, alert) {
  const compliance = Array.isArray(alert.compliance) ? alert.compliance : [];
  const attack = Array.isArray(alert.attack) ? alert.attack : [];
  return [
    ...compliance.map((c) => h(doc, 'span', { class: 'tag compliance', title: 'compliance' }, c)),
    ...attack.map((a) => h(doc, 'span', { class: 'tag attack', title: 'MITRE ATT&CK' }, a)),
  ];
}

// The row shows a few tags (ATT&CK first) and how many more; the detail shows them all.
const ROW_TAGS = 3;

function rowTags(doc, alert) {
  const all = tags(doc, alert);
  const shown = [...all.filter((t) => t.getAttribute('class').includes('attack')),
    ...all.filter((t) => !t.getAttribute('class').includes('attack'))].slice(0, ROW_TAGS);
  const more = all.length - shown.length;
  return [shown, more > 0 ? h(doc, 'span', { class: 'tag more', title: 'the others are in the detail' }, `+${more}`) : null];
}

function account(doc, alert) {
  return [alert.account_id ?? '', alert.account_name ? h(doc, 'div', { class: 'sub' }, alert.account_name) : null];
}

/** The table row of an alert. */
export function alertRow(doc, alert, selected) {
  return h(doc, 'tr', {
    class: `alert ${severityClass(alert.severity)}${selected ? ' selected' : ''}`,
    'data-key': alert.dedup_key,
    tabindex: 0,
    'aria-selected': selected ? 'true' : 'false',
  },
  h(doc, 'td', { class: 'severity' }, h(doc, 'span', { class: `badge ${severityClass(alert.severity)}` }, alert.severity)),
  h(doc, 'td', { class: 'triage' }, statusBadge(doc, alert), ' ', mutedBadge(doc, alert),
    alert.assignee ? h(doc, 'div', { class: 'sub' }, alert.assignee) : null),
  h(doc, 'td', { class: 'rule' }, alert.title, h(doc, 'div', { class: 'sub mono' }, alert.rule_id),
    h(doc, 'div', { class: 'tags' }, rowTags(doc, alert))),
  h(doc, 'td', { class: 'entity mono', title: alert.entity }, shortEntity(alert.entity)),
  h(doc, 'td', { class: 'account mono' }, account(doc, alert)),
  h(doc, 'td', { class: 'region mono' }, alert.region),
  h(doc, 'td', { class: 'count num' }, alert.count),
  h(doc, 'td', { class: 'time mono' }, shortTime(alert.last_seen)));
}

function statusBadge(doc, alert) {
  const status = statusOf(alert);
  return h(doc, 'span', {
    class: `status-badge status-${status}`,
    title: alert.reopened ? 'resolved, then matched again: open once more' : null,
  }, statusLabel(status), alert.reopened ? ' (reopened)' : null);
}

function mutedBadge(doc, alert) {
  return alert.muted_by ? h(doc, 'span', { class: 'status-badge muted', title: `muted by ${alert.muted_by}: not delivered` }, 'muted') : null;
}

// What an analyst may do from each status: the buttons of the triage panel.
const ACTIONS = [
  ['acknowledged', 'Acknowledge'],
  ['resolved', 'Resolve'],
  ['false_positive', 'False positive'],
  ['open', 'Reopen'],
];

/**
 * The triage panel of an alert: its status, assignee and history ({by, at, status, assignee,
 * note} from /api/alerts/{alert_id}); with canChange, a note field and a button for each status
 * the alert is not in, and assignment to the signed-in user (me) or to nobody.
 */
export function triagePanel(doc, alert, history, canChange, me) {
  const status = statusOf(alert);
  const entries = Array.isArray(history) ? history : [];
  const controls = canChange ? h(doc, 'div', { class: 'triage-controls' },
    h(doc, 'textarea', { class: 'triage-note', rows: 2, maxlength: 4000, placeholder: 'Note (optional): what you found, why', 'aria-label': 'note' }),
    h(doc, 'div', { class: 'triage-buttons' },
      ACTIONS.filter(([next]) => next !== status).map(([next, label]) => h(doc, 'button',
        { type: 'button', 'data-action': `status:${next}` }, label)),
      alert.assignee === me ? null : h(doc, 'button', { type: 'button', 'data-action': 'assign:me' }, 'Assign to me'),
      alert.assignee ? h(doc, 'button', { type: 'button', 'data-action': 'assign:none' }, 'Unassign') : null),
    h(doc, 'div', { class: 'mute-controls' },
      h(doc, 'select', { class: 'mute-scope', 'aria-label': 'mute scope' },
        h(doc, 'option', { value: 'entity' }, 'this entity'),
        alert.account_id ? h(doc, 'option', { value: 'account' }, 'this account') : null,
        h(doc, 'option', { value: 'everywhere' }, 'everywhere')),
      h(doc, 'select', { class: 'mute-for', 'aria-label': 'mute for' },
        h(doc, 'option', { value: '1h' }, 'for 1 hour'),
        h(doc, 'option', { value: '24h' }, 'for 24 hours'),
        h(doc, 'option', { value: '7d', selected: true }, 'for 7 days'),
        h(doc, 'option', { value: '30d' }, 'for 30 days')),
      h(doc, 'button', { type: 'button', 'data-action': 'mute' }, 'Mute this rule')),
    h(doc, 'p', { class: 'triage-error', role: 'status', hidden: true })) : null;
  return h(doc, 'section', { class: 'triage' },
    h(doc, 'h3', null, 'Triage'),
    h(doc, 'p', { class: 'events-download' },
      h(doc, 'button', { type: 'button', 'data-action': 'events', title: 'its events and its entity\'s other events in its window, as JSON lines' },
        'Download the events'),
      h(doc, 'span', { class: 'events-status sub', role: 'status' })),
    h(doc, 'p', null, statusBadge(doc, alert), ' ', mutedBadge(doc, alert), ' ',
      alert.assignee ? ['assigned to ', h(doc, 'strong', null, alert.assignee)] : 'unassigned'),
    controls,
    entries.length === 0 ? h(doc, 'p', { class: 'empty' }, 'No changes yet.')
      : h(doc, 'ol', { class: 'history' }, entries.map((change) => h(doc, 'li', null,
        h(doc, 'span', { class: 'mono time' }, shortTime(change.at)), ' ', h(doc, 'strong', null, change.by ?? ''), ' ',
        change.status ? ['set ', statusLabel(change.status)] : null,
        Object.hasOwn(change, 'assignee') ? [change.status ? ', ' : '', change.assignee ? ['assigned ', change.assignee] : 'unassigned'] : null,
        change.note ? h(doc, 'blockquote', { class: 'note' }, change.note) : null))));
}

/** The detail panel of an alert: every field, the event ids, the evidence and the dedup key. */
export function alertDetail(doc, alert) {
  const evidence = alert.evidence && typeof alert.evidence === 'object' ? Object.entries(alert.evidence) : [];
  evidence.sort((a, b) => a[0].localeCompare(b[0]));
  const eventIds = Array.isArray(alert.event_ids) ? alert.event_ids : [];
  const field = (label, ...value) => [h(doc, 'dt', null, label), h(doc, 'dd', null, ...value)];
  return h(doc, 'section', { class: `detail ${severityClass(alert.severity)}` },
    h(doc, 'h2', null, h(doc, 'span', { class: `badge ${severityClass(alert.severity)}` }, alert.severity), ' ', alert.title),
    h(doc, 'p', { class: 'description' }, alert.description ?? ''),
    h(doc, 'dl', null,
      field('Rule', h(doc, 'span', { class: 'mono' }, alert.rule_id)),
      field('Entity', h(doc, 'span', { class: 'mono' }, alert.entity)),
      field('Account', h(doc, 'span', { class: 'mono' }, alert.account_id ?? ''), alert.account_name ? ` (${alert.account_name})` : ''),
      field('Region', h(doc, 'span', { class: 'mono' }, alert.region ?? '')),
      field('Count', String(alert.count ?? ''), ` (update ${updateOf(alert)})`),
      field('First seen', h(doc, 'span', { class: 'mono' }, alert.first_seen ?? '')),
      field('Last seen', h(doc, 'span', { class: 'mono' }, alert.last_seen ?? '')),
      field('Source', alert.source ?? ''),
      field('Tags', tags(doc, alert)),
      field('Dedup key', h(doc, 'span', { class: 'mono' }, alert.dedup_key))),
    h(doc, 'h3', null, `Evidence (${evidence.length})`),
    evidence.length === 0 ? h(doc, 'p', { class: 'empty' }, 'No evidence fields.')
      : h(doc, 'table', { class: 'evidence' }, h(doc, 'tbody', null,
        evidence.map(([key, value]) => h(doc, 'tr', null, h(doc, 'th', { scope: 'row', class: 'mono' }, key),
          h(doc, 'td', { class: 'mono' }, value))))),
    h(doc, 'h3', null, `Event ids (${eventIds.length})`),
    h(doc, 'ul', { class: 'event-ids mono' }, eventIds.map((id) => h(doc, 'li', null, id))));
}

/** The table row of an incident (from /api/incidents): severity, size, pivots, rules, times. */
export function incidentRow(doc, incident, selected) {
  const pivots = Object.entries(incident.pivots ?? {}).flatMap(([kind, values]) =>
    (Array.isArray(values) ? values : []).map((value) => h(doc, 'div', { class: 'mono', title: `${kind}: ${value}` },
      `${kind}: `, shortEntity(value))));
  return h(doc, 'tr', {
    class: `incident ${severityClass(incident.severity)}${selected ? ' selected' : ''}`,
    'data-key': incident.incident_id,
    tabindex: 0,
    'aria-selected': selected ? 'true' : 'false',
  },
  h(doc, 'td', { class: 'severity' }, h(doc, 'span', { class: `badge ${severityClass(incident.severity)}` }, incident.severity)),
  h(doc, 'td', { class: 'num' }, incident.alert_count),
  h(doc, 'td', { class: 'pivots' }, pivots),
  h(doc, 'td', { class: 'mono sub' }, (incident.rules ?? []).join(', ')),
  h(doc, 'td', { class: 'time mono' }, shortTime(incident.first_seen)),
  h(doc, 'td', { class: 'time mono' }, shortTime(incident.last_seen)));
}

/** An incident's timeline: its alerts, oldest first, each with its time, severity, rule and entity. */
export function incidentTimeline(doc, incident) {
  const timeline = Array.isArray(incident.timeline) ? incident.timeline : [];
  return h(doc, 'section', { class: `detail ${severityClass(incident.severity)}` },
    h(doc, 'h2', null, h(doc, 'span', { class: `badge ${severityClass(incident.severity)}` }, incident.severity), ' ',
      `Incident of ${timeline.length} alert${timeline.length === 1 ? '' : 's'}`),
    h(doc, 'ol', { class: 'timeline' }, timeline.map((alert) => h(doc, 'li', null,
      h(doc, 'span', { class: 'mono time' }, shortTime(alert.first_seen)), ' ',
      h(doc, 'span', { class: `badge ${severityClass(alert.severity)}` }, alert.severity), ' ',
      h(doc, 'strong', null, alert.title ?? alert.rule_id), ' ',
      h(doc, 'span', { class: 'mono sub', title: alert.entity }, shortEntity(alert.entity)),
      alert.count > 1 ? h(doc, 'span', { class: 'sub' }, ` (${alert.count} events until ${shortTime(alert.last_seen)})`) : null))));
}

/** The table row of a mute (from /api/suppressions), with a Remove button when it is in force. */
export function muteRow(doc, mute, canChange) {
  const state = mute.removed_at ? `removed by ${mute.removed_by ?? ''} ${shortTime(mute.removed_at)}`
    : mute.in_force ? 'in force' : 'ended';
  return h(doc, 'tr', { class: mute.in_force ? 'mute in-force' : 'mute' },
    h(doc, 'td', { class: 'mono' }, mute.rule_id),
    h(doc, 'td', null, mute.scope, mute.value ? h(doc, 'div', { class: 'mono sub', title: mute.value }, shortEntity(mute.value)) : null),
    h(doc, 'td', { class: 'time mono' }, shortTime(mute.until)),
    h(doc, 'td', null, mute.reason),
    h(doc, 'td', null, mute.created_by, h(doc, 'div', { class: 'sub mono' }, shortTime(mute.created_at))),
    h(doc, 'td', null, state),
    h(doc, 'td', null, canChange && mute.in_force
      ? h(doc, 'button', { type: 'button', 'data-action': `unmute:${mute.suppression_id}` }, 'Remove') : null));
}

/** The table row of a resource that fails controls (from /api/posture?failing=true). */
export function postureRow(doc, resource) {
  const failing = Array.isArray(resource.failing_controls) ? resource.failing_controls : [];
  return h(doc, 'tr', null,
    h(doc, 'td', { class: 'mono' }, resource.resource_type),
    h(doc, 'td', { class: 'mono entity' }, resource.arn),
    h(doc, 'td', { class: 'mono' }, resource.account_id),
    h(doc, 'td', { class: 'mono' }, resource.region),
    h(doc, 'td', { class: 'tags' }, failing.map((c) => h(doc, 'span', { class: 'tag compliance' }, c))),
    h(doc, 'td', { class: 'mono time' }, shortTime(resource.updated_at)));
}

/**
 * The rules of a /api/coverage answer, one entry each (a rule covering several techniques is
 * listed once, with all of them): rules whose events did not arrive in the look-back first, then
 * by id.
 */
export function coverageRules(coverage) {
  const byId = new Map();
  for (const tactic of coverage?.tactics ?? []) {
    for (const technique of tactic.techniques ?? []) {
      for (const rule of technique.rules ?? []) {
        const entry = byId.get(rule.id) ?? { ...rule, attack: [] };
        for (const tag of [tactic.id, technique.id]) {
          if (tag && tag !== '-' && !entry.attack.includes(tag)) {
            entry.attack.push(tag);
          }
        }
        byId.set(rule.id, entry);
      }
    }
  }
  const rank = (r) => ({ 'not seen': 0, quiet: 1 }[coverageEvents(r)] ?? 2);
  return [...byId.values()].sort((a, b) => rank(a) - rank(b) || String(a.id).localeCompare(String(b.id)));
}

/**
 * Whether a rule's events arrived: "seen", "quiet" (its service's events came, not the calls it
 * reads), "not seen" (neither: is the log ingested?), "-" (it needs none).
 */
export function coverageEvents(rule) {
  if (rule.telemetry_seen === true) {
    return 'seen';
  }
  if (rule.telemetry_seen === false) {
    return rule.service_seen === true ? 'quiet' : 'not seen';
  }
  return '-';
}

/** The table row of one rule of the coverage: what it covers, its events seen, its last firing. */
export function coverageRow(doc, rule) {
  const seen = coverageEvents(rule);
  return h(doc, 'tr', { class: seen === 'not seen' ? 'blind' : seen === 'quiet' ? 'quiet' : null },
    h(doc, 'td', null, h(doc, 'span', { class: 'mono' }, rule.id), h(doc, 'br', null),
      h(doc, 'span', { class: 'muted' }, rule.title ?? '')),
    h(doc, 'td', null, rule.level ?? ''),
    h(doc, 'td', { class: 'tags' }, (rule.attack ?? []).map((t) => h(doc, 'span', { class: 'tag attack' }, t))),
    h(doc, 'td', { class: 'mono', title: rule.telemetry ?? 'the ingest itself' }, rule.telemetry ?? '(the ingest itself)'),
    h(doc, 'td', null, seen),
    h(doc, 'td', { class: 'mono time' }, rule.last_event ? shortTime(rule.last_event) : 'never'),
    h(doc, 'td', { class: 'mono time' }, rule.last_fired ? shortTime(rule.last_fired) : 'never'),
    h(doc, 'td', null, String(rule.alerts ?? 0)));
}
