import type { V1ClusterRoleBinding, V1Pod, V1RoleBinding, RbacV1Subject } from '@kubernetes/client-node';
import { apiErrorText, statusCode } from '../clients/kube/client';
import { BadInputError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';
import { platformNamespace } from './shared/namespace';

/** What ServiceAccounts may do (the API server's own authorizer), who is bound to a ClusterRole, and Pod Security enforcement. */

/** `pods`, `pods/log`, `endpointslices.discovery.k8s.io`, `deployments.apps/scale` → resource, group, subresource. */
export function resourceAttributes(text: string): { resource: string; group: string; subresource?: string } {
  const m = /^([a-z0-9*-]+)(?:\.([a-z0-9.-]+))?(?:\/([a-z0-9-]+))?$/.exec(text.trim());
  if (!m)
    throw new BadInputError(`"${text}" is not a resource`, 'write it as kubectl names it: pods, pods/log, deployments.apps, endpointslices.discovery.k8s.io');
  return { resource: m[1], group: m[2] ?? '', subresource: m[3] };
}

/** The verb as written, without the backticks or quotes a feature may put around it. */
function verbOf(word: string): string {
  const verb = word.replace(/^[`"]|[`"]$/g, '');
  if (!/^([a-z]+|\*)$/i.test(verb))
    throw new BadInputError(`"${word}" is not an API verb`, 'write get, list, watch, create, update, patch, delete, deletecollection or *');
  return verb;
}

/**
 * S1 "the ServiceAccount `loco-backend` can `list` `pods`" / "… cannot `delete` `pods`": a SubjectAccessReview
 * in the platform namespace, as the ServiceAccount's token would be authorized (its user and groups). "cannot"
 * passes on the authorizer's own allowed=false; an API error is an error, never a denial.
 */
export function serviceAccountMay(ctx: Ctx, serviceAccount: string, word: string, resourceText: string, expectAllowed: boolean): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`ServiceAccount ${serviceAccount} ${expectAllowed ? 'can' : 'cannot'} ${word.replace(/[`"]/g, '')} ${resourceText}`, async () => {
    const verb = verbOf(word);
    const attrs = resourceAttributes(resourceText);
    const k = ctx.clients.kube();
    await k.core.readNamespacedServiceAccount({ name: serviceAccount, namespace }).catch((e: unknown) => {
      if (statusCode(e) === 404) throw new Error(`ServiceAccount ${namespace}/${serviceAccount} does not exist`);
      throw e;
    });
    const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
    const groups = ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];
    const status = await k.accessReview({ user, groups, resourceAttributes: { namespace, verb, ...attrs } });
    const reason = status.reason || (status.allowed ? '(no reason given)' : 'no rule allows it');
    await ctx.evidence.text(
      `SubjectAccessReview (authorization.k8s.io/v1) of ServiceAccount ${serviceAccount}`,
      [
        `user:             ${user}`,
        `groups:           ${groups.join(', ')}`,
        `request:          ${verb} ${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ''} (API group ${attrs.group || 'core'}) in namespace ${namespace}`,
        `allowed:          ${status.allowed}`,
        `denied:           ${status.denied ?? false}`,
        `reason:           ${reason}`,
        ...(status.evaluationError ? [`evaluation error: ${status.evaluationError}`] : []),
      ].join('\n'),
    );
    const request = `${verb} ${resourceText} in namespace ${namespace}`;
    const noted = status.evaluationError ? `; the authorizer noted: ${status.evaluationError}` : '';
    if (status.allowed !== expectAllowed)
      throw new Error(
        `ServiceAccount ${namespace}/${serviceAccount} ${status.allowed ? 'can' : 'cannot'} ${request}: the API server answered allowed=${status.allowed} (${reason})${noted}`,
      );
    return `${status.allowed ? 'allowed' : 'denied'} to ${request}: ${reason}${noted}`;
  });
}

const SA_GROUPS = (namespace: string) => ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];

/** Whether a binding's subject takes in a ServiceAccount of the namespace; how, in words. */
function bindsServiceAccountOf(s: RbacV1Subject, namespace: string, bindingNamespace?: string): string | undefined {
  // A RoleBinding's ServiceAccount subject without a namespace means the binding's own (as the RBAC authorizer reads it).
  if (s.kind === 'ServiceAccount' && (s.namespace || bindingNamespace) === namespace) return `ServiceAccount ${s.name}`;
  if (s.kind === 'Group' && SA_GROUPS(namespace).includes(s.name)) return `Group ${s.name} (every ServiceAccount of ${namespace})`;
  return undefined;
}

function subjectText(s: RbacV1Subject, bindingNamespace?: string): string {
  const ns = s.kind === 'ServiceAccount' ? `${s.namespace || bindingNamespace || '?'}/` : '';
  return `${s.kind} ${ns}${s.name}`;
}

/** S2 "no ServiceAccount in the namespace is bound to the ClusterRole `cluster-admin`" (RoleBindings and ClusterRoleBindings, groups that hold the namespace's ServiceAccounts included). */
export function noServiceAccountBoundTo(ctx: Ctx, clusterRole: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`no ServiceAccount in namespace ${namespace} is bound to ClusterRole ${clusterRole}`, async () => {
    const rbac = ctx.clients.kube().rbac;
    await rbac.readClusterRole({ name: clusterRole }).catch((e: unknown) => {
      if (statusCode(e) === 404)
        throw new BadInputError(`ClusterRole ${clusterRole} does not exist on the cluster`, 'name a ClusterRole that `kubectl get clusterroles` lists');
      throw e;
    });
    const [roleBindings, clusterRoleBindings] = await Promise.all([
      rbac.listNamespacedRoleBinding({ namespace }).then((l) => l.items),
      rbac.listClusterRoleBinding().then((l) => l.items),
    ]);
    const refers = (b: V1RoleBinding | V1ClusterRoleBinding) => b.roleRef.kind === 'ClusterRole' && b.roleRef.name === clusterRole;
    const bindings = [
      ...roleBindings
        .filter(refers)
        .map((b) => ({ binding: `RoleBinding ${namespace}/${b.metadata?.name}`, subjects: b.subjects ?? [], bindingNamespace: namespace })),
      ...clusterRoleBindings
        .filter(refers)
        .map((b) => ({ binding: `ClusterRoleBinding ${b.metadata?.name}`, subjects: b.subjects ?? [], bindingNamespace: undefined })),
    ];
    const offending = bindings.flatMap((b) =>
      b.subjects.map((s) => bindsServiceAccountOf(s, namespace, b.bindingNamespace)).flatMap((how) => (how ? [`${b.binding} → ${how}`] : [])),
    );
    await ctx.evidence.table(
      `bindings of ClusterRole ${clusterRole} (among ${roleBindings.length} RoleBindings in ${namespace} and ${clusterRoleBindings.length} ClusterRoleBindings)`,
      bindings.map((b) => ({
        binding: b.binding,
        subjects: b.subjects.map((s) => subjectText(s, b.bindingNamespace)).join(', ') || '(none)',
        [`binds a ServiceAccount of ${namespace}`]: b.subjects.some((s) => bindsServiceAccountOf(s, namespace, b.bindingNamespace)) ? 'yes' : 'no',
      })),
    );
    if (offending.length) throw new Error(`ClusterRole ${clusterRole} is bound to ServiceAccounts of namespace ${namespace}: ${offending.join('; ')}`);
    return `none of the ${bindings.length} binding(s) of ClusterRole ${clusterRole} names a ServiceAccount of ${namespace} (read ${roleBindings.length} RoleBindings in ${namespace}, ${clusterRoleBindings.length} ClusterRoleBindings)`;
  });
}

const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
type Level = (typeof LEVELS)[number];

/** A pod that meets the restricted level (so every level): the dry run accepting it shows the mechanism answers. */
function compliantPod(ctx: Ctx, namespace: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: ctx.unique('kubeproof-psa-compliant'), namespace },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'c',
          image: ctx.config.images.probe,
          command: ['sleep', '1'],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '10m', memory: '16Mi' } },
        },
      ],
    },
  };
}

/** A pod that meets the level below `level` but not `level` itself: only enforcement of `level` (or stricter) refuses it. */
function violatingPod(ctx: Ctx, namespace: string, level: Exclude<Level, 'privileged'>): { pod: V1Pod; violates: string } {
  const pod = compliantPod(ctx, namespace);
  pod.metadata!.name = ctx.unique(`kubeproof-psa-not-${level}`);
  const c = pod.spec!.containers[0];
  if (level === 'restricted') {
    // baseline allows this: no securityContext at all
    delete pod.spec!.securityContext;
    delete c.securityContext;
    return { pod, violates: 'restricted (runAsNonRoot, allowPrivilegeEscalation, capabilities, seccompProfile unset)' };
  }
  c.securityContext = { privileged: true };
  delete pod.spec!.securityContext;
  return { pod, violates: 'baseline (a privileged container)' };
}

async function dryRunCreate(ctx: Ctx, pod: V1Pod): Promise<{ accepted: boolean; message: string }> {
  try {
    await ctx.clients.kube().core.createNamespacedPod({ namespace: pod.metadata!.namespace!, body: pod, dryRun: 'All' });
    return { accepted: true, message: 'accepted (nothing was created: dry run)' };
  } catch (e) {
    if (statusCode(e) === undefined) throw e;
    return { accepted: false, message: apiErrorText(e) };
  }
}

/**
 * S3 "the namespace enforces the Pod Security level `restricted`": the namespace's enforce label is that level
 * (or stricter), and a server-side dry run refuses a pod that breaks it while accepting one that meets it.
 */
export function namespaceEnforcesPodSecurity(ctx: Ctx, levelText: string): StepResult {
  const namespace = platformNamespace(ctx);
  return ctx.check(`namespace ${namespace} enforces the Pod Security level ${levelText}`, async () => {
    const level = levelText.toLowerCase() as Level;
    if (!LEVELS.includes(level)) throw new BadInputError(`"${levelText}" is not a Pod Security level`, 'write baseline or restricted');
    if (level === 'privileged')
      throw new BadInputError('every pod meets the privileged level, so enforcing it cannot be shown', 'write baseline or restricted');
    const ns = await ctx.clients.kube().core.readNamespace({ name: namespace });
    const labels = Object.entries(ns.metadata?.labels ?? {}).filter(([key]) => key.startsWith('pod-security.kubernetes.io/'));
    await ctx.evidence.table(
      `Pod Security labels of namespace ${namespace}`,
      labels.map(([label, value]) => ({ label, value })),
    );
    const enforced = ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
    if (!enforced)
      throw new Error(
        `namespace ${namespace} has no pod-security.kubernetes.io/enforce label${labels.length ? ` (it has ${labels.map(([key, v]) => `${key}=${v}`).join(', ')})` : ''}`,
      );
    if (LEVELS.indexOf(enforced as Level) < LEVELS.indexOf(level))
      throw new Error(
        `namespace ${namespace} enforces the Pod Security level ${enforced}, not ${level} (label pod-security.kubernetes.io/enforce=${enforced})`,
      );
    const compliant = compliantPod(ctx, namespace);
    const violating = violatingPod(ctx, namespace, level);
    const [ok, bad] = await Promise.all([dryRunCreate(ctx, compliant), dryRunCreate(ctx, violating.pod)]);
    await ctx.evidence.text(
      `server-side dry runs of pods in ${namespace}`,
      [
        `${compliant.metadata!.name}: meets restricted (so every level); expected: accepted`,
        `  → ${ok.message}`,
        `${violating.pod.metadata!.name}: breaks ${violating.violates}; expected: refused by PodSecurity`,
        `  → ${bad.message}`,
      ].join('\n'),
    );
    if (!ok.accepted) throw new Error(`the dry run refused even a pod that meets the restricted level, so it shows nothing about Pod Security: ${ok.message}`);
    if (bad.accepted)
      throw new Error(
        `namespace ${namespace} accepted (server-side dry run) a pod that breaks ${violating.violates}, despite pod-security.kubernetes.io/enforce=${enforced}`,
      );
    if (!/violates PodSecurity/.test(bad.message))
      throw new Error(`the pod that breaks ${violating.violates} was refused, but not by Pod Security: ${bad.message}`);
    return `pod-security.kubernetes.io/enforce=${enforced}; the dry run refused a pod that breaks ${level}: ${bad.message.replace(/^HTTP \d+: /, '')}`;
  });
}
