/**
 * The one pod and container security posture every rendered workload uses: non-root, read-only root
 * filesystem, no privilege escalation, every capability dropped, the runtime's default seccomp profile.
 * The spec has no field that could ask for host networking or privileged pods, and the renderer never
 * sets them; a test asserts it for every rendered pod.
 */
import type { PodSecurityContext, SecurityContext, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';

/** nobody:nogroup, present in the official Prometheus, statsd_exporter and node images. */
const NONROOT_UID = 65534;

/** Pod-level security context. */
export function podSecurityContext(): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: NONROOT_UID,
    runAsGroup: NONROOT_UID,
    fsGroup: NONROOT_UID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security context. */
export function containerSecurityContext(): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Requests and limits of one container. */
export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/**
 * Requests and limits per container role. Sized for the scaled fleets a kind cluster holds; the subject
 * collectors get headroom so that what fails first under the burst is the collection path, not an OOM
 * kill the rig chose.
 */
export const RESOURCES = {
  producer: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  prometheus: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '2', memory: '2Gi' } },
  rigPrometheus: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  statsdExporter: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  udpCounters: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  otelcol: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  pushgateway: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  job: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
} as const satisfies Record<string, Resources>;

/** A writable emptyDir volume (the root filesystem is read-only) and its mount. */
export function scratchVolume(name: string, mountPath: string): { volume: Volume; mount: VolumeMount } {
  return { volume: { name, emptyDir: {} }, mount: { name, mountPath } };
}
