/* global uPlot, document, window, ResizeObserver */
// Vigil dashboard, part 2: the KL-over-time chart (uPlot), one series per signal plus the threshold.
'use strict';

(function chart(vigil) {
  const COLORS = ['#3656a6', '#c2410c', '#0f766e', '#7c3aed', '#b45309', '#be185d', '#4d7c0f', '#0369a1'];
  const HEIGHT = 200;
  const box = document.getElementById('drift-chart');
  let plot = null;
  let plotted = '';

  function options(signals) {
    return {
      width: Math.max(200, box.clientWidth),
      height: HEIGHT,
      scales: { x: { time: true }, y: { distr: 3 } },
      axes: [{}, { label: 'KL (nats, log scale)', size: 56 }],
      legend: { live: false },
      series: [
        {},
        ...signals.map((s, i) => ({ label: s, stroke: COLORS[i % COLORS.length], width: 1.5 })),
        { label: 'threshold', stroke: '#b42318', width: 1.5, dash: [6, 4], points: { show: false } },
      ],
    };
  }

  /** Reports oldest first, as GET /v1/models/:name/drift/history returns them reversed. */
  function seriesOf(reports) {
    const signals = vigil.sortSignals(reports.flatMap((r) => r.signals.map((s) => s.signal)));
    const kl = (report, signal) => {
      const s = report.signals.find((x) => x.signal === signal);
      // Below the minimum sample size KL is noise (that is what insufficient_data says): a gap.
      return s && s.state !== 'insufficient_data' && s.kl > 0 ? s.kl : null;
    };
    const data = [
      reports.map((r) => Date.parse(r.checkedAt) / 1000),
      ...signals.map((signal) => reports.map((r) => kl(r, signal))),
      reports.map((r) => (r.signals[0] ? r.signals[0].threshold : null)),
    ];
    const plottable = data.slice(1, -1).some((series) => series.some((v) => v !== null));
    return { signals, data, plottable };
  }

  function showEmpty(text) {
    if (plot) plot.destroy();
    plot = null;
    plotted = '';
    box.replaceChildren(vigil.el('p', { className: 'empty', text }));
  }

  function drawChart(reports) {
    if (!reports || reports.length === 0) return showEmpty('no drift checks stored yet');
    const { signals, data, plottable } = seriesOf(reports);
    if (!plottable) return showEmpty('no check with enough traffic yet (insufficient_data)');
    if (plot && plotted === signals.join('|')) return void plot.setData(data);
    if (plot) plot.destroy();
    box.replaceChildren();
    plot = new uPlot(options(signals), data, box);
    plotted = signals.join('|');
  }

  new ResizeObserver(() => {
    if (plot) plot.setSize({ width: Math.max(200, box.clientWidth), height: HEIGHT });
  }).observe(box);

  Object.assign(vigil, { drawChart });
})((window.vigil = window.vigil || {}));
