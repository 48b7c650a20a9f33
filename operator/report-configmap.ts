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
  const meta = ownedMeta(x, names.report(x.metadata.name), 'report', false);
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, ...reportData(report) };
}

/** The report as a ConfigMap's data, or gzip-compressed binaryData when too large for text. */
export function reportData(report: Report): Pick<ConfigMap, 'data' | 'binaryData'> {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (Buffer.byteLength(text) <= MAX_TEXT_BYTES) return { data: { [REPORT_KEY]: text } };
  return { binaryData: { [REPORT_GZ_KEY]: gzipSync(text).toString('base64') } };
}

/** A JSON merge patch that stores `report` in a report ConfigMap, removing the other encoding's key. */
export function reportDataPatch(report: Report): Record<string, unknown> {
  const d = reportData(report);
  return d.data
    ? { data: d.data, binaryData: { [REPORT_GZ_KEY]: null } }
    : { binaryData: d.binaryData, data: { [REPORT_KEY]: null } };
}

/** The report text stored in a report ConfigMap, or undefined if it holds none. */
export function reportTextFrom(cm: Pick<ConfigMap, 'data' | 'binaryData'>): string | undefined {
  const text = cm.data?.[REPORT_KEY];
  if (text !== undefined) return text;
  const gz = cm.binaryData?.[REPORT_GZ_KEY];
  return gz === undefined ? undefined : gunzipSync(Buffer.from(gz, 'base64')).toString('utf8');
}
