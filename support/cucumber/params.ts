import { defineParameterType } from '@cucumber/cucumber';
import { DURATION_PATTERN, parseDuration } from '../engine/duration';
import { COMPARISON_PATTERN, parseComparison } from '../engine/compare';

/** `{duration}`: 500ms, 30s, 2m, 1m30s → milliseconds. */
defineParameterType({ name: 'duration', regexp: DURATION_PATTERN, transformer: (s: string) => parseDuration(s) });

/** `{comparison}`: greater than, at least, less than, at most, equal to, exactly, ... */
defineParameterType({ name: 'comparison', regexp: COMPARISON_PATTERN, transformer: (s: string) => parseComparison(s) });

/** `{code}`: text in backticks (PromQL, LogQL, names) or double quotes, as the plan writes it. */
defineParameterType({ name: 'code', regexp: /`([^`]*)`|"([^"]*)"/, transformer: (backticked?: string, quoted?: string) => backticked ?? quoted ?? '' });

/** `{workload}`: deployment, statefulset or daemonset (the kinds that own pods). */
defineParameterType({
  name: 'workload',
  regexp: /deployment|statefulset|daemonset|Deployment|StatefulSet|DaemonSet/,
  transformer: (s: string) => s.toLowerCase(),
});

/** `{kind}`: a Kubernetes kind as `kubectl get` names it. */
defineParameterType({
  name: 'kind',
  regexp:
    /Service|ConfigMap|Secret|ServiceAccount|PersistentVolumeClaim|Deployment|StatefulSet|DaemonSet|HorizontalPodAutoscaler|NetworkPolicy|ClusterRoleBinding|ClusterRole/,
  transformer: (s: string) => s,
});
