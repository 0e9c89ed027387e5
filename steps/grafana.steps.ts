import { Then } from '@cucumber/cucumber';
import type { Comparison } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import { dashboardPanelsShow, dashboardRefresh, grafanaDashboardExists, grafanaDatasourceConnected, grafanaHealthy } from '../support/checks/grafana';

// Wording only: each step hands off to one check in support/checks/grafana.ts.

Then('Grafana is healthy', function (this: W) {
  return grafanaHealthy(this);
});
Then('Grafana shows the {code} datasource as connected', function (this: W, ds: string) {
  return grafanaDatasourceConnected(this, ds);
});
Then('Grafana has a dashboard titled {code}', function (this: W, title: string) {
  return grafanaDashboardExists(this, title);
});
Then('every panel of the dashboard {code} shows a value {comparison} {float}', function (this: W, source: string, c: Comparison, v: number) {
  return dashboardPanelsShow(this, source, c, v);
});
Then('the dashboard {code} refreshes every {word}', function (this: W, source: string, refresh: string) {
  return dashboardRefresh(this, source, refresh);
});
