import { defineParameterType } from '@cucumber/cucumber';
import { DURATION_PATTERN, parseDuration } from '../engine/duration';
import { COMPARISON_PATTERN, parseComparison } from '../engine/compare';
import { parseQuantity, QUANTITY_PATTERN } from '../engine/quantity';

/** `{duration}`: 500ms, 30s, 2m, 1m30s → milliseconds. */
defineParameterType({ name: 'duration', regexp: DURATION_PATTERN, transformer: (s: string) => parseDuration(s) });

/** `{comparison}`: greater than, at least, less than, at most, equal to, exactly, ... */
defineParameterType({ name: 'comparison', regexp: COMPARISON_PATTERN, transformer: (s: string) => parseComparison(s) });

/** `{code}`: text in backticks (PromQL, LogQL, names) or double quotes, as the plan writes it. */
defineParameterType({ name: 'code', regexp: /`([^`]*)`|"([^"]*)"/, transformer: (backticked?: string, quoted?: string) => backticked ?? quoted ?? '' });

/** `{quantity}`: a Kubernetes quantity, bare or in backticks — 100m, 0.5, 2, 128Mi, 4Gi, 1G → { text, value in cores or bytes }. */
defineParameterType({
  name: 'quantity',
  regexp: new RegExp(`\`(${QUANTITY_PATTERN.source})\`|(${QUANTITY_PATTERN.source})`),
  transformer: (backticked?: string, bare?: string) => parseQuantity(backticked ?? bare ?? ''),
});

/** `{workload}`: deployment, statefulset or daemonset (the kinds that own pods). */
defineParameterType({
  name: 'workload',
  regexp: /deployment|statefulset|daemonset|Deployment|StatefulSet|DaemonSet/,
  transformer: (s: string) => s.toLowerCase(),
});

/**
 * `{kind}`: any kind the API server serves, CRDs included (`IngressClass`, `Certificate`), or its
 * short name (`PVC`, `HPA`), optionally with its group (`Certificate.cert-manager.io`).
 * Resolved through API discovery when the step runs; an unknown kind names the closest served ones.
 */
defineParameterType({
  name: 'kind',
  regexp: /[A-Z][A-Za-z0-9]*(?:\.[a-z0-9][a-z0-9.-]*[a-z0-9])?/,
  transformer: (s: string) => s,
});
