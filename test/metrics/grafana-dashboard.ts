import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const dashboardPath = join(__dirname, '..', '..', 'grafana', 'vigil.json');

export interface DashboardTarget {
  expr: string;
  refId: string;
  datasource?: { type?: string; uid?: string };
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  datasource?: { uid?: string };
  query: { query: string } | string;
}

export interface Dashboard {
  schemaVersion: number;
  __inputs: Array<{ name: string; type: string; pluginId: string }>;
  panels: DashboardPanel[];
  templating: { list: DashboardVariable[] };
}

export function loadDashboard(): Dashboard {
  return JSON.parse(readFileSync(dashboardPath, 'utf8')) as Dashboard;
}

/** Every PromQL expression of the dashboard: panel targets and variable queries. */
export function dashboardQueries(dashboard: Dashboard): string[] {
  const targets = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  const variables = dashboard.templating.list.map((v) => (typeof v.query === 'string' ? v.query : v.query.query));
  return [...targets, ...variables];
}

/** The metric names the queries read (every Vigil metric has the `vigil_` prefix). */
export function dashboardMetricNames(dashboard: Dashboard): string[] {
  const names = dashboardQueries(dashboard).flatMap((query) => query.match(/\bvigil_[a-z0-9_]+/g) ?? []);
  return [...new Set(names)].sort();
}
