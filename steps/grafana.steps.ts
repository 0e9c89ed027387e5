import { Then } from '@cucumber/cucumber';
import type { Comparison } from '../support/checks/shared/context';
import type { KubeproofWorld as W } from '../support/cucumber/world';
import {
  dashboardConfigMapHolds,
  datasourceAnswersAsGrafana,
  grafanaDashboardExists,
  grafanaDatasourceConnected,
  grafanaHealthy,
  platformDashboardPanelsShow,
  platformDashboardRefresh,
} from '../support/checks/grafana';

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
Then('the dashboard ConfigMap {code} holds a dashboard titled {code} with {int} panels', function (this: W, cm: string, title: string, n: number) {
  return dashboardConfigMapHolds(this, cm, title, n);
});
Then("every panel of the platform's dashboard {code} shows a value {comparison} {float}", function (this: W, title: string, c: Comparison, v: number) {
  return platformDashboardPanelsShow(this, title, c, v);
});
Then("the platform's dashboard {code} refreshes every {word}", function (this: W, title: string, refresh: string) {
  return platformDashboardRefresh(this, title, refresh);
});
Then(
  "Grafana's {code} datasource in ConfigMap {code} answers from a pod labelled like Service {code}",
  function (this: W, ds: string, cm: string, svc: string) {
    return datasourceAnswersAsGrafana(this, ds, cm, svc, false);
  },
);
Then(
  "Grafana's {code} datasource in ConfigMap {code} answers over HTTPS from a pod labelled like Service {code}",
  function (this: W, ds: string, cm: string, svc: string) {
    return datasourceAnswersAsGrafana(this, ds, cm, svc, true);
  },
);
