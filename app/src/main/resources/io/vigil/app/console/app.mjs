// The console page: connects the alert stream (Server-Sent Events from /api/alerts/stream) to the
// alert board, and the filters, tabs and panels to the DOM. Everything shown is built by view.mjs
// from elements and text nodes; no alert text is ever parsed as HTML.
import {
  AlertBoard, RANGES, SEVERITIES, accountChoices, alertDetail, alertRow, countBySeverity, coverageRow, coverageRules,
  fromQuery, h, histogram, incidentRow, incidentTimeline, muteRow, pageOf, postureRow,
  ruleChoices, select, toQuery, triagePanel,
} from './view.mjs';

// Rows drawn per page: drawing 10,000 rows stalls a browser; sorting and filtering them does not.
const PAGE_SIZE = 100;
const TABS = ['alerts', 'incidents', 'mutes', 'posture', 'coverage', 'reports'];
const HISTOGRAM_BUCKETS = 48;
const SEVERITY_COLOURS = { info: '#8a939e', low: '#4aa3ff', medium: '#f2c94c', high: '#ff9447', critical: '#ff4d4f' };
const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 60000;
const POSTURE_REFRESH_MS = 60000;

const board = new AlertBoard();
const fromUrl = fromQuery(window.location.search);
const state = {
  filter: fromUrl.filter, sort: fromUrl.sort, page: 0, selected: null, tab: 'alerts', retryMs: RETRY_MIN_MS,
  renderPending: false,
  // Whether the stream's snapshot has all arrived (then every change is drawn at the next frame).
  synced: false,
  renderTimer: null,
  // The rows of the page shown, in order: j and k move through them.
  shownKeys: [],
  // Who is signed in ({name, role} from /api/me); viewers see the triage but cannot change it.
  me: null,
  // The selected alert's triage history, and what the detail pane last drew.
  history: { alertId: null, changes: [] },
  drawnDetail: null,
  drawnAlertId: null,
};
const $ = (id) => document.getElementById(id);

function setStatus(kind, text) {
  const status = $('status');
  status.className = `status ${kind}`;
  status.textContent = text;
}

// ---- the alert stream ----

let source = null;

function connect() {
  source = new EventSource('/api/alerts/stream');
  state.synced = false;
  setStatus('connecting', 'connecting');
  source.addEventListener('alert', (event) => {
    if (board.apply(JSON.parse(event.data))) {
      scheduleRender();
    }
  });
  source.addEventListener('snapshot', (event) => {
    let changed = false;
    for (const alert of JSON.parse(event.data)) {
      changed = board.apply(alert) || changed;
    }
    if (changed) {
      scheduleRender();
    }
  });
  source.addEventListener('remove', (event) => {
    if (board.remove(JSON.parse(event.data).dedup_key)) {
      scheduleRender();
    }
  });
  source.addEventListener('triage', (event) => {
    const change = JSON.parse(event.data);
    if (board.applyTriage(change)) {
      scheduleRender();
    }
    const selected = state.selected ? board.get(state.selected) : undefined;
    if (selected && selected.alert_id === change.alert_id) {
      loadHistory(selected.alert_id);
    }
  });
  source.addEventListener('synced', (event) => {
    state.retryMs = RETRY_MIN_MS;
    state.synced = true;
    // The whole snapshot is in: draw it at the next frame, not when the snapshot's timer fires.
    if (state.renderTimer) {
      clearTimeout(state.renderTimer);
      state.renderTimer = null;
      state.renderPending = false;
    }
    scheduleRender();
    setStatus('live', 'live');
    // Resumed after a break: the alerts missed were replayed, but triage changes have no place in
    // the alerts topic, so the states are read again.
    if (JSON.parse(event.data).resumed) {
      reloadTriage();
    }
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CONNECTING) {
      // The browser reconnects by itself, sending Last-Event-ID: only what was missed comes back.
      setStatus('reconnecting', 'reconnecting');
      return;
    }
    // Closed for good: the server refused the stream (not signed in, too many streams, starting).
    source.close();
    setStatus('offline', 'offline');
    checkSignedIn().then((signedIn) => {
      if (signedIn) {
        setTimeout(connect, state.retryMs);
        state.retryMs = Math.min(state.retryMs * 2, RETRY_MAX_MS);
      }
    });
  });
}

/** False (after sending the browser to the sign-in page) when the API answers 401. */
async function checkSignedIn() {
  try {
    const response = await fetch('/api/alerts?limit=1', { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      window.location.assign('/console/login');
      return false;
    }
  } catch (networkDown) {
    // the server is unreachable: keep retrying
  }
  return true;
}

// ---- the alerts view ----

// While the stream's snapshot arrives (thousands of alerts at once), the table is drawn a few
// times a second rather than at every frame: each drawing sorts and filters every alert so far.
const SNAPSHOT_RENDER_MS = 300;

function scheduleRender() {
  if (!state.renderPending) {
    state.renderPending = true;
    const draw = () => {
      state.renderPending = false;
      render();
    };
    if (state.synced) {
      requestAnimationFrame(draw);
    } else {
      state.renderTimer = setTimeout(() => {
        state.renderTimer = null;
        requestAnimationFrame(draw);
      }, SNAPSHOT_RENDER_MS);
    }
  }
}

function render() {
  const all = board.all();
  renderCounts(all);
  renderChoices($('filter-rule'), ruleChoices(all), 'all rules', (id, title) => (title ? `${id} (${title})` : id));
  renderChoices($('filter-account'), accountChoices(all), 'all accounts', (id, name) => (name ? `${id} (${name})` : id));
  const shown = select(all, state.filter, state.sort);
  const page = pageOf(shown, state.page, PAGE_SIZE);
  state.page = page.page;
  state.shownKeys = page.items.map((alert) => alert.dedup_key);
  const rows = page.items.map((alert) => alertRow(document, alert, alert.dedup_key === state.selected));
  $('alert-rows').replaceChildren(...rows);
  $('no-alerts').hidden = all.length > 0;
  $('shown').textContent = `${shown.length} of ${all.length} alerts`;
  $('page-info').textContent = `page ${page.page + 1} of ${page.pages}`;
  $('page-prev').disabled = page.page === 0;
  $('page-next').disabled = page.page >= page.pages - 1;
  for (const th of document.querySelectorAll('th[data-sort]')) {
    const key = th.getAttribute('data-sort');
    th.setAttribute('aria-sort', key === state.sort.key ? (state.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
  }
  renderHistogram(shown);
  renderDetail();
}

// Alerts over time by severity, stacked, for the time range of the filter (the last 24 h when it
// has none): drawn on a canvas, so no alert text is involved at all.
function renderHistogram(alerts) {
  const canvas = $('histogram');
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 60;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const to = Date.now();
  const from = to - (RANGES[state.filter.range] ?? RANGES['24h']);
  const slices = histogram(alerts, from, to, HISTOGRAM_BUCKETS);
  const most = Math.max(1, ...slices.map((slice) => SEVERITIES.reduce((n, s) => n + slice.counts[s], 0)));
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, width, height);
  const barWidth = width / HISTOGRAM_BUCKETS;
  slices.forEach((slice, i) => {
    let y = height;
    for (const severity of SEVERITIES) {
      const barHeight = (slice.counts[severity] / most) * (height - 2);
      if (barHeight > 0) {
        context.fillStyle = SEVERITY_COLOURS[severity];
        context.fillRect(i * barWidth + 1, y - barHeight, Math.max(1, barWidth - 2), barHeight);
        y -= barHeight;
      }
    }
  });
  const total = slices.reduce((n, slice) => n + SEVERITIES.reduce((m, s) => m + slice.counts[s], 0), 0);
  canvas.setAttribute('aria-label', `${total} alerts last seen from ${new Date(from).toISOString()} to now, by severity`);
}

function renderCounts(all) {
  const counts = countBySeverity(all);
  const chips = [...SEVERITIES].reverse().map((severity) => h(document, 'span',
    { class: `count-chip sev-${severity}`, title: `${severity} alerts` }, `${severity} ${counts[severity]}`));
  $('counts').replaceChildren(...chips);
}

const drawnChoices = new Map();

function renderChoices(selectElement, choices, anyLabel, label) {
  // Redrawn only when the choices change: redrawing closes a list the analyst has open.
  const signature = JSON.stringify(choices);
  if (drawnChoices.get(selectElement.id) === signature) {
    return;
  }
  drawnChoices.set(selectElement.id, signature);
  const current = selectElement.value;
  const options = [h(document, 'option', { value: '' }, anyLabel)];
  for (const [value, extra] of choices) {
    options.push(h(document, 'option', { value, selected: value === current }, label(value, extra)));
  }
  if (current && !choices.some(([value]) => value === current)) {
    options.push(h(document, 'option', { value: current, selected: true }, current));
  }
  selectElement.replaceChildren(...options);
  selectElement.value = current;
}

function renderDetail() {
  const alert = state.selected ? board.get(state.selected) : undefined;
  const pane = $('detail');
  const history = alert && state.history.alertId === alert.alert_id ? state.history.changes : [];
  // Redrawn only when what it shows changed: a redraw would drop a note being written.
  const signature = JSON.stringify([alert ?? null, history, state.me]);
  if (signature === state.drawnDetail) {
    return;
  }
  state.drawnDetail = signature;
  if (!alert) {
    pane.replaceChildren(h(document, 'p', { class: 'empty' }, 'Select an alert to see its description, evidence and event ids.'));
    return;
  }
  const oldNote = pane.querySelector('.triage-note');
  const note = oldNote?.value ?? '';
  // An analyst may be typing when the history arrives or the alert updates: keep the caret too.
  const typing = oldNote !== null && document.activeElement === oldNote;
  const caret = typing ? [oldNote.selectionStart, oldNote.selectionEnd] : null;
  const canChange = state.me !== null && state.me.role !== 'viewer';
  pane.replaceChildren(triagePanel(document, alert, history, canChange, state.me?.name), alertDetail(document, alert));
  const noteField = pane.querySelector('.triage-note');
  if (noteField && state.drawnAlertId === alert.alert_id) {
    noteField.value = note;
    if (typing) {
      noteField.focus();
      noteField.setSelectionRange(caret[0], caret[1]);
    }
  }
  state.drawnAlertId = alert.alert_id;
}

function selectRow(target) {
  const row = target.closest('tr.alert');
  if (row) {
    state.selected = row.getAttribute('data-key');
    const alert = board.get(state.selected);
    if (alert && state.history.alertId !== alert.alert_id) {
      state.history = { alertId: alert.alert_id, changes: [] };
      loadHistory(alert.alert_id);
    }
    render();
  }
}

// ---- triage ----

async function loadMe() {
  try {
    const response = await fetch('/api/me', { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) {
      state.me = await response.json();
      $('who').textContent = `${state.me.name} (${state.me.role})`;
      scheduleRender();
    }
  } catch (networkDown) {
    // shown as read-only until the next load
  }
}

async function loadHistory(alertId) {
  try {
    const response = await fetch(`/api/alerts/${encodeURIComponent(alertId)}`, { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) {
      const alert = await response.json();
      if (state.history.alertId === alertId) {
        state.history = { alertId, changes: alert.history ?? [] };
        board.applyTriage(alert);
        scheduleRender();
      }
    }
  } catch (networkDown) {
    // the history stays as it was
  }
}

async function reloadTriage() {
  try {
    const response = await fetch('/api/alerts?limit=10000', { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) {
      for (const alert of (await response.json()).alerts ?? []) {
        board.applyTriage(alert);
      }
      scheduleRender();
    }
  } catch (networkDown) {
    // the next reconnection tries again
  }
}

async function triage(action) {
  const alert = state.selected ? board.get(state.selected) : undefined;
  const pane = $('detail');
  const error = pane.querySelector('.triage-error');
  if (!alert) {
    return;
  }
  const note = pane.querySelector('.triage-note')?.value ?? '';
  const [kind, value] = action.split(':');
  const body = kind === 'status'
    ? { status: value, note }
    : { assignee: value === 'me' ? state.me?.name ?? null : null, note };
  const url = `/api/alerts/${encodeURIComponent(alert.alert_id)}/${kind === 'status' ? 'status' : 'assignee'}`;
  for (const button of pane.querySelectorAll('.triage-buttons button')) {
    button.disabled = true;
  }
  try {
    const changed = await change('POST', url, body);
    state.history = { alertId: changed.alert_id, changes: changed.history ?? [] };
    board.applyTriage(changed);
    state.drawnDetail = null;
    const noteField = pane.querySelector('.triage-note');
    if (noteField) {
      noteField.value = '';
    }
    render();
  } catch (e) {
    if (error) {
      error.hidden = false;
      error.textContent = `Not changed: ${e.message}`;
    }
    for (const button of pane.querySelectorAll('.triage-buttons button')) {
      button.disabled = false;
    }
  }
}

// The filters and the order in the address, so that a link shows the same alerts.
function rememberInUrl() {
  const query = toQuery(state.filter, state.sort);
  window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
}

function showFilterInControls() {
  $('filter-severity').value = state.filter.minSeverity;
  $('filter-status').value = state.filter.status;
  $('filter-range').value = state.filter.range;
  $('filter-text').value = state.filter.text;
  // Rule and account choices come with the alerts: renderChoices keeps a chosen value meanwhile.
  for (const [id, value] of [['filter-rule', state.filter.rule], ['filter-account', state.filter.account]]) {
    if (value) {
      $(id).replaceChildren(h(document, 'option', { value: '' }, 'any'), h(document, 'option', { value, selected: true }, value));
      $(id).value = value;
    }
  }
}

function moveSelection(step) {
  const keys = state.shownKeys;
  if (keys.length === 0) {
    return;
  }
  const at = keys.indexOf(state.selected);
  let next = at === -1 ? 0 : at + step;
  if (next >= keys.length && $('page-next').disabled === false) {
    state.page += 1;
    render();
    next = 0;
  } else if (next < 0 && state.page > 0) {
    state.page -= 1;
    render();
    next = state.shownKeys.length - 1;
  }
  next = Math.min(Math.max(0, next), state.shownKeys.length - 1);
  const row = document.querySelector(`tr.alert[data-key="${CSS.escape(state.shownKeys[next])}"]`);
  if (row) {
    selectRow(row);
    row.scrollIntoView({ block: 'nearest' });
  }
}

// j / k move through the rows, a acknowledges the selected alert (analysts and admins); never
// while typing in a field.
function wireKeyboard() {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || state.tab !== 'alerts'
      || event.target.closest('input, textarea, select')) {
      return;
    }
    if (event.key === 'j') {
      moveSelection(1);
    } else if (event.key === 'k') {
      moveSelection(-1);
    } else if (event.key === 'a' && state.selected && state.me && state.me.role !== 'viewer') {
      const alert = board.get(state.selected);
      if (alert && alert.status !== 'acknowledged') {
        triage('status:acknowledged');
      }
    } else {
      return;
    }
    event.preventDefault();
  });
}

function wireFilters() {
  showFilterInControls();
  const update = () => {
    state.filter = {
      minSeverity: $('filter-severity').value,
      rule: $('filter-rule').value,
      account: $('filter-account').value,
      status: $('filter-status').value,
      range: $('filter-range').value,
      text: $('filter-text').value,
    };
    state.page = 0;
    rememberInUrl();
    render();
  };
  for (const th of document.querySelectorAll('th[data-sort]')) {
    th.addEventListener('click', () => {
      const key = th.getAttribute('data-sort');
      state.sort = { key, dir: state.sort.key === key && state.sort.dir === 'desc' ? 'asc' : 'desc' };
      state.page = 0;
      rememberInUrl();
      render();
    });
  }
  $('page-prev').addEventListener('click', () => {
    state.page -= 1;
    render();
  });
  $('page-next').addEventListener('click', () => {
    state.page += 1;
    render();
  });
  for (const id of ['filter-severity', 'filter-rule', 'filter-account', 'filter-status', 'filter-range']) {
    $(id).addEventListener('change', update);
  }
  $('filter-text').addEventListener('input', update);
  $('filters').addEventListener('reset', () => setTimeout(update, 0));
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  $('alert-rows').addEventListener('click', (event) => selectRow(event.target));
  $('detail').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (button) {
      const action = button.getAttribute('data-action');
      if (action === 'mute') {
        mute();
      } else if (action === 'events') {
        downloadEvents();
      } else {
        triage(action);
      }
    }
  });
  $('alert-rows').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      selectRow(event.target);
    }
  });
}

// ---- tabs, posture ----

let postureTimer = null;

function showTab(tab) {
  state.tab = tab;
  for (const name of TABS) {
    const active = name === tab;
    $(`tab-${name}`).classList.toggle('active', active);
    $(`tab-${name}`).setAttribute('aria-selected', active ? 'true' : 'false');
    $(`view-${name}`).hidden = !active;
  }
  clearInterval(postureTimer);
  if (tab === 'posture') {
    loadPosture();
    postureTimer = setInterval(loadPosture, POSTURE_REFRESH_MS);
  }
  if (tab === 'coverage') {
    loadCoverage();
  }
  if (tab === 'incidents') {
    loadIncidents();
  }
  if (tab === 'mutes') {
    loadMutes();
  }
}

// ---- mutes ----

function loadMutes() {
  return loadPanel('mutes', 'Mutes', '/api/suppressions', (answer) => {
    const all = answer.suppressions ?? [];
    const canChange = state.me !== null && state.me.role !== 'viewer';
    $('mute-rows').replaceChildren(...all.map((mute) => muteRow(document, mute, canChange)));
    return `${all.filter((mute) => mute.in_force).length} mutes in force, ${all.length} made in all`
      + ` (updated ${new Date().toLocaleTimeString()}).`;
  });
}

// Sends a change (POST or DELETE with a JSON body) and returns the answer's JSON; throws with the
// server's reason otherwise, after sending a signed-out browser to the sign-in page.
async function change(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    window.location.assign('/console/login');
    throw new Error('signed out');
  }
  if (!response.ok) {
    throw new Error((await response.text()).trim());
  }
  return response.json();
}

// The events behind the selected alert, saved as a JSON lines file. The link is made here, to a
// blob of this page's own making: the view code sets no URL attributes at all.
async function downloadEvents() {
  const alert = state.selected ? board.get(state.selected) : undefined;
  const status = $('detail').querySelector('.events-status');
  if (!alert) {
    return;
  }
  try {
    const response = await fetch(`/api/alerts/${encodeURIComponent(alert.alert_id)}/events`, {
      credentials: 'same-origin', cache: 'no-store',
    });
    if (!response.ok) {
      throw new Error((await response.text()).trim());
    }
    const blob = await response.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `alert-${alert.alert_id}-events.jsonl`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    status.textContent = ` ${(await blob.text()).split('\n').filter(Boolean).length} events`;
  } catch (e) {
    status.textContent = ` Not available: ${e.message}`;
  }
}

async function mute() {
  const alert = state.selected ? board.get(state.selected) : undefined;
  const pane = $('detail');
  const error = pane.querySelector('.triage-error');
  if (!alert) {
    return;
  }
  const scope = pane.querySelector('.mute-scope').value;
  const reason = pane.querySelector('.triage-note')?.value.trim() ?? '';
  try {
    if (!reason) {
      throw new Error('write why in the note first: every mute is audited');
    }
    const made = await change('POST', '/api/suppressions', {
      rule_id: alert.rule_id,
      scope,
      value: scope === 'entity' ? alert.entity : scope === 'account' ? alert.account_id : undefined,
      for: pane.querySelector('.mute-for').value,
      reason,
    });
    error.hidden = false;
    error.textContent = `Muted until ${made.until}: the next occurrences are kept, not delivered.`;
    pane.querySelector('.triage-note').value = '';
  } catch (e) {
    error.hidden = false;
    error.textContent = `Not muted: ${e.message}`;
  }
}

// ---- incidents ----

const incidents = { list: [], selected: null };

function renderIncidents() {
  $('incident-rows').replaceChildren(...incidents.list.map((incident) =>
    incidentRow(document, incident, incident.incident_id === incidents.selected)));
  const chosen = incidents.list.find((incident) => incident.incident_id === incidents.selected);
  $('incident-detail').replaceChildren(chosen ? incidentTimeline(document, chosen)
    : h(document, 'p', { class: 'empty' }, 'Select an incident to see its timeline.'));
}

function loadIncidents() {
  const span = $('incident-window').value;
  return loadPanel('incidents', 'Incidents', `/api/incidents?window=${encodeURIComponent(span)}&limit=10000`, (answer) => {
    incidents.list = answer.incidents ?? [];
    renderIncidents();
    const several = incidents.list.filter((incident) => incident.alert_count > 1).length;
    return `${incidents.list.length} incidents, ${several} of them of more than one alert`
      + ` (updated ${new Date().toLocaleTimeString()}).`;
  });
}

// Loads a tab's JSON into its table: a 401 goes to the sign-in page, any other failure is said in
// the tab's status line; show fills the table and returns the status to say.
async function loadPanel(name, what, url, show) {
  const status = $(`${name}-status`);
  status.textContent = 'Loading...';
  try {
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      window.location.assign('/console/login');
      return;
    }
    if (!response.ok) {
      status.textContent = `${what} not available (${response.status}): ${(await response.text()).trim()}`;
      return;
    }
    status.textContent = show(await response.json());
  } catch (e) {
    status.textContent = `${what} not available: ${e.message}`;
  }
}

function loadCoverage() {
  return loadPanel('coverage', 'Coverage', '/api/coverage?days=30', (coverage) => {
    const rules = coverageRules(coverage);
    $('coverage-rows').replaceChildren(...rules.map((r) => coverageRow(document, r)));
    const needing = rules.filter((r) => r.telemetry_seen !== null && r.telemetry_seen !== undefined);
    const blind = needing.filter((r) => r.telemetry_seen === false).length;
    return `${rules.length} rules; the events ${blind} of them need did not arrive in the last 30 days`
      + ` (updated ${new Date().toLocaleTimeString()}).`;
  });
}

function loadPosture() {
  return loadPanel('posture', 'Posture', '/api/posture?failing=true&limit=10000', (posture) => {
    const resources = posture.resources || [];
    resources.sort((a, b) => String(a.resource_type).localeCompare(String(b.resource_type))
      || String(a.arn).localeCompare(String(b.arn)));
    $('posture-rows').replaceChildren(...resources.map((r) => postureRow(document, r)));
    return resources.length === 0
      ? 'No resource fails a control now.'
      : `${resources.length} resources fail at least one control (updated ${new Date().toLocaleTimeString()}).`;
  });
}

function start() {
  wireFilters();
  wireKeyboard();
  for (const name of TABS) {
    $(`tab-${name}`).addEventListener('click', () => showTab(name));
  }
  $('incidents-refresh').addEventListener('click', loadIncidents);
  $('mutes-refresh').addEventListener('click', loadMutes);
  $('mute-rows').addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action^="unmute:"]');
    if (button) {
      button.disabled = true;
      try {
        await change('DELETE', `/api/suppressions/${encodeURIComponent(button.getAttribute('data-action').slice(7))}`);
      } catch (e) {
        $('mutes-status').textContent = `Not removed: ${e.message}`;
        return;
      }
      loadMutes();
    }
  });
  $('incident-window').addEventListener('change', loadIncidents);
  $('incident-rows').addEventListener('click', (event) => {
    const row = event.target.closest('tr.incident');
    if (row) {
      incidents.selected = row.getAttribute('data-key');
      renderIncidents();
    }
  });
  $('posture-refresh').addEventListener('click', loadPosture);
  $('coverage-refresh').addEventListener('click', loadCoverage);
  render();
  loadMe();
  connect();
}

start();
