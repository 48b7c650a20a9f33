/**
 * `pushpull report NAME`: the Kubernetes source of a report — the ConfigMap `<NAME>-report` the operator
 * wrote (operator/report-configmap.ts). Plugged into report/source.ts as one more resolver;
 * it claims only arguments shaped like an experiment name (`NAME` or `NAMESPACE/NAME`) and connects to
 * the cluster only when the report is loaded.
 */

import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { UsageError } from '../errors/usage-error.ts';
import type { Typed } from '../kube/objects.ts';
import { parseReport, ReportFormatError } from '../report/parse-report.ts';
import type { ReportSource, ReportSourceResolver } from '../report/source.ts';
import { createKubeClient } from './k8s/client.ts';
import { names } from './render/names.ts';
import { reportTextFrom } from './report-configmap.ts';

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const NAME_ARG = new RegExp(`^(?:(${DNS_LABEL})/)?(${DNS_LABEL})$`);

export interface KubernetesReportOptions {
  namespace?: string;
  kubeconfig?: string;
}

export function kubernetesReportSource(opts: KubernetesReportOptions = {}): ReportSourceResolver {
  return async (arg) => {
    const m = NAME_ARG.exec(arg);
    if (!m) return null;
    const name = m[3]!;
    const explicitNamespace = m[1] ?? opts.namespace;
    const source: ReportSource = {
      label: `ppx ${explicitNamespace ?? '(current namespace)'}/${name}`,
      defaultOutDir: null,
      async load() {
        let kube: ReturnType<typeof createKubeClient>;
        try {
          kube = createKubeClient(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {});
        } catch (err) {
          throw new UsageError(
            `${arg}: no such file, and no cluster to look for experiment ${name} in (${(err as Error).message})`,
          );
        }
        const namespace = explicitNamespace ?? kube.contextNamespace ?? 'default';
        const cmName = names.report(name);
        let cm: Typed<ConfigMap> | undefined;
        try {
          cm = await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: cmName });
        } catch (err) {
          throw new UsageError(
            `ppx ${namespace}/${name}: cannot read ConfigMap ${cmName}: ${(err as Error).message}`,
          );
        }
        const text = cm ? reportTextFrom(cm) : undefined;
        if (text === undefined) {
          throw new UsageError(
            `ppx ${namespace}/${name}: no report yet (ConfigMap ${cmName} not found); \`kubectl get ppx ${name} -n ${namespace}\` shows its phase`,
          );
        }
        try {
          return parseReport(text, `ConfigMap ${namespace}/${cmName}`);
        } catch (err) {
          if (err instanceof ReportFormatError) throw new UsageError(err.message);
          throw err;
        }
      },
    };
    return source;
  };
}
