/* global document, window */
// Vigil dashboard, part 1: DOM helpers and the tables. Data in, elements out; no fetching here.
'use strict';

(function render(vigil) {
  const SIGNAL_ORDER = ['pixel', 'brightness', 'contrast', 'class', 'confidence'];
  const $ = (id) => document.getElementById(id);

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (name === 'text') node.textContent = value;
      else if (name === 'className') node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children || []) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  /** A state badge; its text is exactly the API's value (a <wbr> lets insufficient_data wrap). */
  function badge(state, props, label = state) {
    const parts = String(label).split('_');
    const children = parts.flatMap((part, i) => (i === 0 ? [part] : [el('wbr'), `_${part}`]));
    return el('span', { ...props, className: `state state-${state}` }, children);
  }

  function table(id, headers, rows, empty) {
    const head = el('thead', {}, [
      el(
        'tr',
        {},
        headers.map((h) => el('th', { text: h })),
      ),
    ]);
    const body = rows.length
      ? rows.map((cells) => el('tr', {}, cells))
      : [el('tr', {}, [el('td', { className: 'empty', colspan: headers.length, text: empty })])];
    $(id).replaceChildren(head, el('tbody', {}, body));
  }

  const td = (content, className) => el('td', { className }, [content]);
  const num = (content) => td(content, 'num');
  const pct = (x) => (typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : '–');
  const ci = (i, scale) => (i ? ` [${(i.lower * scale).toFixed(1)}, ${(i.upper * scale).toFixed(1)}]` : '');
  const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '–');
  const signalRank = (s) => {
    const i = SIGNAL_ORDER.indexOf(s.split(':')[0]);
    return i < 0 ? SIGNAL_ORDER.length : i;
  };
  const sortSignals = (list) => [...new Set(list)].sort((a, b) => signalRank(a) - signalRank(b) || a.localeCompare(b));

  function renderModels(models) {
    const order = { champion: 0, challenger: 1, shadow: 2, retired: 3 };
    const sorted = [...models].sort((a, b) => a.name.localeCompare(b.name) || order[a.role] - order[b.role]);
    const rows = sorted.map((m) => [td(m.name), td(m.version), td(badge(m.role)), td(m.provider)]);
    table('models-table', ['Model', 'Version', 'Role', 'Provider'], rows, 'no models registered');
    renderEmptyState(models.length === 0);
  }

  /** With no model registered, how to register one (with this page's own address) and the demo. */
  function renderEmptyState(empty) {
    $('empty-state').hidden = !empty;
    for (const node of document.querySelectorAll('[data-origin]')) node.textContent = window.location.origin;
  }

  function renderDrift(models) {
    const signals = sortSignals(models.flatMap((m) => Object.keys(m.signals)));
    const rows = models.map((m) => {
      const id = `${m.model}-${m.version}`;
      const label = el('div', {}, [el('b', { text: m.model }), ` ${m.version}`]);
      const checked = el('div', { className: 'muted', text: `${m.role} · checked ${time(m.checkedAt)}` });
      const cells = signals.map((s) =>
        td(
          m.signals[s]
            ? badge(m.signals[s], {
                'data-testid': `drift-state-${id}-${s}`,
                'data-model': m.model,
                'data-version': m.version,
                'data-signal': s,
              })
            : '–',
        ),
      );
      const overall = badge(m.state, {
        'data-testid': `drift-state-${id}`,
        'data-model': m.model,
        'data-version': m.version,
      });
      return [td(el('div', {}, [label, checked])), td(overall), ...cells];
    });
    table('drift-table', ['Model', 'State', ...signals], rows, 'no champion or challenger yet');
  }

  function renderAccuracy(evaluations) {
    const sorted = [...evaluations].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 8);
    const rows = sorted.map((e) => [
      td(
        el('div', {}, [
          el('div', { text: `${e.model} ${e.version}` }),
          el('div', { className: 'muted', text: `${e.source} · ${e.isoWeek}` }),
        ]),
      ),
      num(String(e.n)),
      stacked(pct(e.accuracy), ci(e.accuracyInterval, 100)),
      baselineCell(e),
      typeof e.dropPp === 'number' ? stacked(e.dropPp.toFixed(2), ci(e.dropInterval, 1)) : num('–'),
      td(ruleCell(e)),
    ]);
    const head = ['Model · source', 'n', 'Accuracy', 'Baseline', 'Drop pp', 'Rule'];
    table('accuracy-table', head, rows, 'no evaluations yet');
  }

  // A value over its interval (muted), so the card stays narrow.
  const stacked = (value, detail) =>
    td(el('div', {}, [el('div', { text: value }), el('div', { className: 'muted', text: detail })]), 'num');

  // The baseline band: the epoch's pooled accuracy, its Wilson interval and label count.
  function baselineCell(e) {
    const b = e.rule && e.rule.baseline;
    if (b) return stacked(pct(b.accuracy), `${ci(b.interval, 100)} · n ${b.n}`);
    return num(e.baseline ? pct(e.baseline.accuracy) : '–');
  }

  const RULE_TEXT = {
    fired: 'fired',
    dismissed_below_threshold: 'within threshold',
    evidence_accumulating: 'evidence',
    no_evidence: 'no evidence',
    baseline: 'baseline',
    insufficient_labels: 'carried',
    not_counted: 'not counted',
  };

  // One large drop fires on its own (z above the one-observation limit); otherwise the CUSUM decides.
  const evidenceText = (r) =>
    r.z !== null && r.z > r.parameters.shewhartZ
      ? `z ${r.z.toFixed(1)} > ${r.parameters.shewhartZ}`
      : `CUSUM ${r.statistic.toFixed(1)}/${r.threshold}`;

  // The CUSUM rule's state: its decision, and the statistic against its limit (reason on hover).
  function ruleCell(e) {
    if (!e.rule) return e.retrainingRequested ? badge('drift', { title: 'retraining requested' }, 'retrain') : '';
    const r = e.rule;
    const state =
      r.decision === 'fired' ? 'drift' : r.decision === 'evidence_accumulating' ? 'insufficient_data' : 'ok';
    const label = e.retrainingRequested ? 'retrain' : RULE_TEXT[r.decision] || r.decision;
    return el('div', { title: r.reason }, [
      badge(state, { 'data-rule': r.decision }, label),
      el('div', { className: 'muted', text: evidenceText(r) }),
    ]);
  }

  function renderExperiments(experiments, models) {
    const versionOf = (id) => (models.find((m) => m.id === id) || { version: id.slice(0, 8) }).version;
    const sorted = [...experiments].sort((a, b) => b.started_at.localeCompare(a.started_at)).slice(0, 3);
    const blocks = sorted.map((e) => {
      const d = e.decisions[0];
      const champion = versionOf(e.champion_version_id);
      const challenger = versionOf(e.challenger_version_id);
      const arm = (label, n, correct) => `${label}: ${correct}/${n} = ${n ? pct(correct / n) : '–'}`;
      const counts = d
        ? `${arm(`champion ${champion}`, d.counts.championN, d.counts.championCorrect)} · ${arm(`challenger ${challenger}`, d.counts.challengerN, d.counts.challengerCorrect)}`
        : 'no analysis yet';
      const level = d && d.parameters && d.parameters.level ? `${Math.round(d.parameters.level * 100)}% CS` : 'CS';
      const interval =
        d && d.interval ? `difference ${(d.difference * 100).toFixed(1)} pp, ${level}${ci(d.interval, 100)} pp` : '';
      return el('div', { className: 'experiment', 'data-testid': `experiment-${e.id}` }, [
        el('div', { className: 'line' }, [
          el('b', { text: e.model_name }),
          `${champion} vs ${challenger}`,
          badge(e.status),
          e.outcome ? badge(e.outcome) : null,
        ]),
        el('div', {
          className: 'muted',
          text: `${e.mode} · ${e.traffic_share}% to challenger · started ${time(e.started_at)}`,
        }),
        el('div', { text: counts }),
        d
          ? el('div', { className: 'line' }, [
              badge(d.verdict),
              interval,
              el('span', { className: 'muted', text: `decided ${time(d.decided_at)}` }),
            ])
          : null,
      ]);
    });
    $('experiments').replaceChildren(
      ...(blocks.length ? blocks : [el('p', { className: 'empty', text: 'no experiments yet' })]),
    );
  }

  function renderAlerts(events, endpoints) {
    const urlOf = (id) => (endpoints.find((w) => w.id === id) || { url: id.slice(0, 8) }).url;
    const rows = events.map((e) => {
      const chips = e.deliveries.map((d) =>
        badge(d.status, {
          title: `${urlOf(d.endpointId)} · ${d.attemptCount} attempt(s) · HTTP ${d.lastStatusCode ?? '–'}`,
        }),
      );
      return [
        td(time(e.createdAt)),
        td(el('code', { text: e.type })),
        td(e.summary, 'summary'),
        td(el('div', { className: 'chips' }, chips.length ? chips : ['no endpoint'])),
      ];
    });
    table('alerts-table', ['Time', 'Event', 'Summary', 'Deliveries'], rows, 'no events yet');
  }

  /** The most recently measured leaderboard of any model: one row per live version, best first. */
  function renderLeaderboard(boards) {
    const board = [...boards].sort((a, b) => b.measuredAt.localeCompare(a.measuredAt))[0];
    const ms = (x) => x.toFixed(2);
    const rows = board
      ? board.entries.map((e) => [
          num(String(e.rank)),
          td(
            el('div', {}, [
              el('b', { text: e.version }),
              e.champion ? ' ' : null,
              e.champion ? badge('champion') : null,
            ]),
          ),
          td(
            e.kind === 'variant'
              ? `INT8 of ${e.variantOf}`
              : e.kind === 'ensemble'
                ? `ensemble (${e.members.length})`
                : 'plain',
          ),
          num(`${pct(e.top1.accuracy)}${ci(e.top1.interval, 100)}`),
          num(e.top5 ? pct(e.top5.accuracy) : '–'),
          num(e.vsChampion ? e.vsChampion.pValue.toPrecision(2) : '–'),
          num(`${ms(e.speed.batch1.p50Ms)} / ${ms(e.speed.batch1.p99Ms)}`),
          num(String(Math.round(e.speed.batch32.imagesPerSecond))),
          num(`${(e.fileBytes / 1024).toFixed(1)} KiB`),
          num(e.parameters.toLocaleString('en')),
          td(e.provider || '–'),
        ])
      : [];
    const headers = [
      '#',
      'Version',
      'Kind',
      'Top-1 [95% CI]',
      'Top-5',
      'McNemar p',
      'p50 / p99 ms (b1)',
      'img/s (b32)',
    ];
    table('leaderboard-table', [...headers, 'Size', 'Params', 'Provider'], rows, 'no leaderboard measured yet');
    $('leaderboard-note').textContent = board
      ? `${board.model} on set ${board.set.name} (${board.entries[0].n} images), measured ${new Date(board.measuredAt).toLocaleString()} · ` +
        `recommended: ${board.recommend.version} (${board.recommend.reason})`
      : 'POST /v1/models/{name}/leaderboard {"set": "<evaluation set id>"} computes one.';
  }

  Object.assign(vigil, {
    el,
    sortSignals,
    renderModels,
    renderDrift,
    renderAccuracy,
    renderExperiments,
    renderAlerts,
    renderLeaderboard,
  });
})((window.vigil = window.vigil || {}));
