/* global document, window, localStorage, fetch, URLSearchParams, clearTimeout */
// Vigil dashboard, part 3: polls the public read endpoints (render.js and chart.js draw them).
// No build step, no framework. `?poll=<seconds>` changes the polling period (default 5 s).
'use strict';

(function dashboard(vigil) {
  const KEY_STORAGE = 'vigil.apiKey';
  const pollMs = Math.max(1, Number(new URLSearchParams(window.location.search).get('poll')) || 5) * 1000;
  const view = {
    etag: null,
    drift: null,
    chartFor: null,
    chartEtag: null,
    accuracyFor: null,
    accuracyAt: 0,
    lastSuccess: null,
    timer: 0,
  };
  const $ = (id) => document.getElementById(id);

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // ---- data -------------------------------------------------------------------------------

  async function request(path, headers) {
    const key = localStorage.getItem(KEY_STORAGE);
    const auth = key ? { authorization: `Bearer ${key}` } : {};
    const response = await fetch(path, { cache: 'no-store', headers: { ...auth, ...headers } });
    if (response.status === 304 || response.ok) return response;
    const body = await response.json().catch(() => null);
    const message = (body && body.error && body.error.message) || `answered ${response.status}`;
    throw new ApiError(response.status, `${path.split('?')[0]}: ${message}`.slice(0, 140));
  }

  const getJson = async (path) => (await request(path)).json();

  /** The drift status is made for polling: send the ETag, a 304 keeps what we have. */
  async function driftStatus() {
    const response = await request('/v1/drift/status', view.etag ? { 'if-none-match': view.etag } : {});
    if (response.status === 304 && view.drift) return view.drift;
    view.etag = response.headers.get('etag');
    view.drift = await response.json();
    return view.drift;
  }

  async function modelDetails(name) {
    const path = `/v1/models/${encodeURIComponent(name)}`;
    const [evaluations, experiments, leaderboards] = await Promise.all([
      getJson(`${path}/evaluations?limit=6`),
      getJson(`${path}/experiments`),
      getJson(`${path}/leaderboards`),
    ]);
    const latest = experiments.experiments.slice(0, 2);
    const detailed = await Promise.all(latest.map((e) => getJson(`/v1/experiments/${e.id}?limit=1`)));
    return { evaluations: evaluations.evaluations, experiments: detailed, leaderboards: leaderboards.leaderboards };
  }

  async function refresh() {
    const [models, drift, events, endpoints] = await Promise.all([
      getJson('/v1/models'),
      driftStatus(),
      getJson('/v1/webhooks/events?limit=25'),
      // Endpoint URLs only label the deliveries; a key without access to them still sees states.
      getJson('/v1/webhooks').catch((error) => (error instanceof ApiError ? { webhooks: [] } : Promise.reject(error))),
    ]);
    const names = [...new Set(models.models.map((m) => m.name))];
    const details = await Promise.all(names.map(modelDetails));
    vigil.renderModels(models.models);
    vigil.renderDrift(drift.models);
    await refreshChart(drift.models);
    vigil.renderAccuracy(details.flatMap((d) => d.evaluations));
    await refreshAccuracyChart();
    vigil.renderExperiments(
      details.flatMap((d) => d.experiments),
      models.models,
    );
    vigil.renderAlerts(events.events, endpoints.webhooks);
    vigil.renderLeaderboard(details.flatMap((d) => d.leaderboards));
  }

  // ---- drift chart: which model version, and its history when the drift status changed ----

  function chartChoice(models) {
    const select = $('chart-model');
    const keys = models.map((m) => `${m.model}\u0000${m.version}`);
    const drifting = keys[models.findIndex((m) => m.state === 'drift')];
    const current = keys.includes(select.value) ? select.value : (drifting ?? keys[0]);
    const label = (m) => `${m.model} ${m.version} (${m.role})`;
    select.replaceChildren(...models.map((m, i) => vigil.el('option', { value: keys[i], text: label(m) })));
    if (current) select.value = current;
    return current;
  }

  async function refreshChart(models) {
    const choice = chartChoice(models);
    if (!choice) return vigil.drawChart(null);
    if (choice === view.chartFor && view.chartEtag === view.etag) return undefined;
    const [model, version] = choice.split('\u0000');
    const query = `version=${encodeURIComponent(version)}&limit=500`;
    const history = await getJson(`/v1/models/${encodeURIComponent(model)}/drift/history?${query}`);
    vigil.drawChart(history.reports.slice().reverse());
    view.chartFor = choice;
    view.chartEtag = view.etag;
    return undefined;
  }

  /**
   * The chosen version's estimates and weekly realised accuracy over the last 8 weeks. Estimates
   * are stored every few minutes: re-read once a minute, or when another version is chosen.
   */
  async function refreshAccuracyChart(force = false) {
    const choice = $('chart-model').value;
    if (!choice) return vigil.drawAccuracyChart(null);
    if (!force && choice === view.accuracyFor && Date.now() - view.accuracyAt < 60_000) return undefined;
    view.accuracyFor = choice;
    view.accuracyAt = Date.now();
    const [model, version] = choice.split('\u0000');
    const from = new Date(Date.now() - 56 * 86400 * 1000).toISOString();
    const query = `version=${encodeURIComponent(version)}&from=${encodeURIComponent(from)}&limit=2000`;
    return vigil.drawAccuracyChart(await getJson(`/v1/models/${encodeURIComponent(model)}/performance?${query}`));
  }

  // ---- connection state and polling -------------------------------------------------------

  function setConnection(state, text) {
    const pill = $('connection');
    pill.dataset.state = state;
    pill.textContent = text;
    $('main').classList.toggle('stale', state !== 'live');
    $('key-form').classList.toggle('needed', state === 'unauthorized');
  }

  function markFailed(error) {
    const since = view.lastSuccess ? ` · showing data from ${view.lastSuccess.toLocaleTimeString()}` : '';
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      const what = error.status === 401 ? 'API key needed' : 'API key lacks the read scope';
      setConnection('unauthorized', `${what}${since}`);
    } else if (error instanceof ApiError) setConnection('stale', `stale: ${error.message}${since}`);
    else setConnection('unreachable', `unreachable${since}`);
  }

  /** One poll at a time; a tick asked for during a poll runs right after it. */
  async function tick() {
    clearTimeout(view.timer);
    if (view.polling) return void (view.again = true);
    view.polling = true;
    try {
      await refresh();
      view.lastSuccess = new Date();
      setConnection('live', `live · updated ${view.lastSuccess.toLocaleTimeString()}`);
    } catch (error) {
      markFailed(error);
    }
    view.polling = false;
    view.timer = setTimeout(tick, view.again ? 0 : pollMs);
    view.again = false;
  }

  $('api-key').value = localStorage.getItem(KEY_STORAGE) || '';
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('api-key').value.trim();
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
    view.etag = null;
    void tick();
  });
  $('key-clear').addEventListener('click', () => {
    $('api-key').value = '';
    localStorage.removeItem(KEY_STORAGE);
    void tick();
  });
  $('chart-model').addEventListener('change', () => {
    void refreshChart(view.drift ? view.drift.models : []).catch(markFailed);
    void refreshAccuracyChart(true).catch(markFailed);
  });
  $('poll-note').textContent = `polls every ${pollMs / 1000} s`;
  void tick();
})((window.vigil = window.vigil || {}));
