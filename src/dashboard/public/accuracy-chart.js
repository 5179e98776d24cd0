/* global uPlot, document, window, ResizeObserver */
// Vigil dashboard, part 2b: accuracy over time for the chosen version (uPlot): the accuracy
// estimated from confidence histograms as a band (its interval) around a line, the realised weekly
// accuracy from labels as points. Data: GET /v1/models/{name}/performance.
'use strict';

(function accuracyChart(vigil) {
  const HEIGHT = 160;
  const WEEK_S = 7 * 86400;
  const box = document.getElementById('accuracy-chart');
  let plot = null;

  function options(report) {
    // The requested window, not the data's extent: one point would otherwise stretch over years.
    const span = [Date.parse(report.window.from) / 1000, Date.parse(report.window.to) / 1000];
    return {
      width: Math.max(200, box.clientWidth),
      height: HEIGHT,
      scales: { x: { time: true, range: () => span }, y: { range: [0, 1] } },
      axes: [{}, { label: 'accuracy', size: 48, values: (_, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`) }],
      legend: { live: false },
      series: [
        {},
        { label: 'estimated', stroke: '#3656a6', width: 1.5, spanGaps: true },
        {
          label: 'upper bound',
          stroke: 'rgba(54,86,166,0.25)',
          width: 0,
          spanGaps: true,
          points: { show: false },
        },
        { label: 'lower bound', stroke: 'rgba(54,86,166,0.25)', width: 0, spanGaps: true, points: { show: false } },
        {
          label: 'realised (labels, weekly)',
          stroke: '#c2410c',
          width: 0,
          paths: () => null,
          points: { show: true, size: 7, fill: '#c2410c' },
        },
      ],
      bands: [{ series: [2, 3], fill: 'rgba(54,86,166,0.15)' }],
    };
  }

  /** Stored estimates (newest first in the answer) and weekly realised accuracy, on one time axis. */
  function seriesOf(report) {
    const rows = [];
    for (const e of report.history) {
      if (e.accuracy === null) continue;
      rows.push({ t: Date.parse(e.checkedAt) / 1000, est: e.accuracy, lo: e.lower, hi: e.upper, real: null });
    }
    const end = Date.parse(report.window.to) / 1000;
    for (const w of report.weeks) {
      if (w.realizedAccuracy === null) continue;
      // Mid-week, or now for the week in progress.
      const t = Math.min(Date.parse(w.from) / 1000 + WEEK_S / 2, end);
      rows.push({ t, est: null, lo: null, hi: null, real: w.realizedAccuracy });
    }
    rows.sort((a, b) => a.t - b.t);
    return [
      rows.map((r) => r.t),
      rows.map((r) => r.est),
      rows.map((r) => r.hi),
      rows.map((r) => r.lo),
      rows.map((r) => r.real),
    ];
  }

  function showEmpty(text) {
    if (plot) plot.destroy();
    plot = null;
    box.replaceChildren(vigil.el('p', { className: 'empty', text }));
  }

  function drawAccuracyChart(report) {
    if (!report) return showEmpty('no model version chosen');
    const data = seriesOf(report);
    if (data[0].length === 0) return showEmpty('no estimate or labelled week yet (calibrate the version to estimate)');
    if (plot) plot.destroy();
    box.replaceChildren();
    plot = new uPlot(options(report), data, box);
  }

  new ResizeObserver(() => {
    if (plot) plot.setSize({ width: Math.max(200, box.clientWidth), height: HEIGHT });
  }).observe(box);

  Object.assign(vigil, { drawAccuracyChart });
})((window.vigil = window.vigil || {}));
