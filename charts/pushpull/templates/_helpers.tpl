{{/* Names and labels shared by the chart's templates. */}}
{{- define "pushpull.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pushpull.serviceAccountName" -}}
{{- default (include "pushpull.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "pushpull.labels" -}}
app.kubernetes.io/name: pushpull
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: pushpull
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "pushpull.selectorLabels" -}}
app.kubernetes.io/name: pushpull
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "pushpull.image" -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag -}}
{{- end -}}
