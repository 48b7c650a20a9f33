/**
 * The ConfigMap `<name>-report` holding the full report.json. It is owned by the experiment (deleting the
 * experiment deletes it) but has no workload label, so TTL cleanup keeps it. A report too large for a
 * ConfigMap's text data is stored gzip-compressed in binaryData. `pushpull report NAME` reads it back.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { Report } from '../report/types.ts';
import { names, ownedMeta } from './render/names.ts';
import type { ExperimentObject, Typed } from './render/types.ts';

export const REPORT_KEY = 'report.json';
export const REPORT_GZ_KEY = 'report.json.gz';
/** Leave room under the API server's 1 MiB object limit for metadata. */
const MAX_TEXT_BYTES = 900_000;

export function reportConfigMap(x: ExperimentObject, report: Report): Typed<ConfigMap> {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const meta = ownedMeta(x, names.report(x.metadata.name), 'report', false);
  if (Buffer.byteLength(text) <= MAX_TEXT_BYTES) {
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { [REPORT_KEY]: text } };
  }
  const gz = gzipSync(text).toString('base64');
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, binaryData: { [REPORT_GZ_KEY]: gz } };
}

/** The report text stored in a report ConfigMap, or undefined if it holds none. */
export function reportTextFrom(cm: Pick<ConfigMap, 'data' | 'binaryData'>): string | undefined {
  const text = cm.data?.[REPORT_KEY];
  if (text !== undefined) return text;
  const gz = cm.binaryData?.[REPORT_GZ_KEY];
  return gz === undefined ? undefined : gunzipSync(Buffer.from(gz, 'base64')).toString('utf8');
}
