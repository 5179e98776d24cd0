import { JobQueue } from '../infra/queue/job-queue';
import { dashboardMetricNames, dashboardQueries, loadDashboard } from '../../test/metrics/grafana-dashboard';
import { JobQueueMetrics } from './job-queue.metrics';
import { MetricsService } from './metrics.service';
import { StoredStateMetrics } from './stored-state.metrics';
import { EMPTY_STORED_STATE, StoredStateRepository } from './stored-state.repository';

/** Every metric the service declares, with the series names a histogram adds. */
async function declaredNames(): Promise<Set<string>> {
  const metrics = new MetricsService();
  new StoredStateMetrics(metrics, { read: async () => EMPTY_STORED_STATE } as unknown as StoredStateRepository);
  new JobQueueMetrics(metrics, { jobCounts: async () => ({}), attemptCounts: () => [] } as unknown as JobQueue);
  const suffixes: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };
  const declared = await metrics.registry.getMetricsAsJSON();
  return new Set(declared.flatMap(({ name, type }) => [name, ...(suffixes[type] ?? []).map((s) => name + s)]));
}

describe('grafana/vigil.json', () => {
  const dashboard = loadDashboard();
  const prometheus = '${DS_PROMETHEUS}';

  it('is an importable dashboard: schema 39+, a Prometheus datasource input, model and version variables', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.__inputs).toContainEqual(
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    );
    const variables = dashboard.templating.list;
    expect(variables.map((v) => v.name)).toEqual(['model', 'version']);
    for (const variable of variables) expect(variable.datasource?.uid).toBe(prometheus);
  });

  it('queries the input datasource from every panel, with unique ids on a 24-column grid', () => {
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of panels) {
      expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, prometheus]);
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe(prometheus);
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
  });

  it('reads only metrics the service declares, in every query', async () => {
    const declared = await declaredNames();
    for (const query of dashboardQueries(dashboard)) expect(query).toMatch(/\bvigil_[a-z0-9_]+/);
    expect(dashboardMetricNames(dashboard).filter((name) => !declared.has(name))).toEqual([]);
  });

  it('shows latency quantiles, drift against its threshold, accuracy, experiments and process health', () => {
    const queries = dashboardQueries(dashboard).join('\n');
    for (const expected of [
      'histogram_quantile(0.95, sum by (le, route) (rate(vigil_http_request_duration_seconds_bucket',
      'vigil_drift_kl',
      'vigil_drift_threshold',
      'vigil_drift_state',
      'vigil_model_accuracy',
      'vigil_experiment_predictions',
      'vigil_queue_jobs',
      'vigil_nodejs_eventloop_lag_p99_seconds',
      'vigil_process_resident_memory_bytes',
    ]) {
      expect(queries).toContain(expected);
    }
  });
});
