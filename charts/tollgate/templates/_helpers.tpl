{{/* The chart's name, or nameOverride. */}}
{{- define "tollgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The prefix of every resource name. Kept to 40 characters: the longest suffix ("-webhook-metrics",
"-operator-leader-election") must still fit the 63-character limit of names and labels.
*/}}
{{- define "tollgate.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "tollgate.operatorName" -}}{{ include "tollgate.fullname" . }}-operator{{- end -}}
{{- define "tollgate.webhookName" -}}{{ include "tollgate.fullname" . }}-webhook{{- end -}}
{{/* The Secret of the webhook's own TLS (self-managed) or of cert-manager's certificate. */}}
{{- define "tollgate.webhookTlsSecret" -}}{{ include "tollgate.fullname" . }}-webhook-tls{{- end -}}
{{/* Both webhook configurations carry this name; the webhook patches their caBundle by it. */}}
{{- define "tollgate.delegationKeys" -}}{{ include "tollgate.fullname" . }}-delegation-keys{{- end -}}

{{- define "tollgate.webhookConfigurationName" -}}{{ include "tollgate.fullname" . }}{{- end -}}

{{- define "tollgate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "tollgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tollgate
{{- end -}}

{{/* Selector labels of one component: call with (dict "root" $ "component" "operator"). */}}
{{- define "tollgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tollgate.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "tollgate.componentLabels" -}}
{{ include "tollgate.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An image reference from images.<name>: call with (dict "root" $ "image" .Values.images.operator). */}}
{{- define "tollgate.image" -}}
{{- $tag := default .root.Chart.AppVersion .image.tag -}}
{{- if hasPrefix "sha256:" $tag -}}
{{- printf "%s@%s" .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/*
The namespaces no Tollgate webhook may intercept: kube-system, the release namespace (the webhook's
own pods must never wait on the webhook), and injection.excludedNamespaces. As a JSON list.
*/}}
{{- define "tollgate.excludedNamespaces" -}}
{{- concat (list "kube-system" .Release.Namespace) .Values.injection.excludedNamespaces | uniq | toJson -}}
{{- end -}}

{{/*
The namespaceSelector expressions every webhook shares: never the excluded namespaces, and only
the watched ones when watchNamespaces is set (the operator publishes no bundle elsewhere).
kubernetes.io/metadata.name is set by the API server on every namespace (1.21+).
*/}}
{{- define "tollgate.namespaceExpressions" -}}
- key: kubernetes.io/metadata.name
  operator: NotIn
  values: {{ include "tollgate.excludedNamespaces" . }}
{{- with .Values.watchNamespaces }}
- key: kubernetes.io/metadata.name
  operator: In
  values: {{ toJson . }}
{{- end }}
{{- end -}}

{{/*
Whether a component gets a PodDisruptionBudget: asked for, and more than one replica (one replica
with minAvailable 1 would block every drain). Non-empty means yes.
*/}}
{{- define "tollgate.operatorBudget" -}}
{{- if and .Values.operator.podDisruptionBudget.enabled (gt (int .Values.operator.replicas) 1) }}true{{ end -}}
{{- end -}}
{{- define "tollgate.webhookBudget" -}}
{{- if and .Values.webhook.podDisruptionBudget.enabled (gt (int .Values.webhook.replicas) 1) }}true{{ end -}}
{{- end -}}

{{/*
Types, ranges, enums and unknown keys are checked by values.schema.json before any template runs;
these are the checks across values that a schema cannot express.
*/}}
{{/* Checks that fail the render with a message rather than install something broken. */}}
{{- define "tollgate.validate" -}}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection.enabled) -}}
{{- fail "operator.replicas > 1 needs operator.leaderElection.enabled: two operators without a leader would both write every bundle and status" -}}
{{- end -}}
{{- if and .Values.sidecar.auditExport.headersSecret (not .Values.sidecar.auditExport.endpoint) -}}
{{- fail "sidecar.auditExport.headersSecret needs sidecar.auditExport.endpoint: headers for no export" -}}
{{- end -}}
{{- if and .Values.sidecar.auditExport.caBundle (not .Values.sidecar.auditExport.endpoint) -}}
{{- fail "sidecar.auditExport.caBundle needs sidecar.auditExport.endpoint: a trust for no export" -}}
{{- end -}}
{{- if lt (int .Values.sidecar.auditExport.bufferSize) (int .Values.sidecar.auditExport.batchSize) -}}
{{- fail "sidecar.auditExport.bufferSize must be at least sidecar.auditExport.batchSize: a full batch must fit in the buffer" -}}
{{- end -}}
{{- if and (include "tollgate.webhookBudget" .) (ge (int .Values.webhook.podDisruptionBudget.minAvailable) (int .Values.webhook.replicas)) -}}
{{- fail "webhook.podDisruptionBudget.minAvailable must be below webhook.replicas, or no node could ever be drained" -}}
{{- end -}}
{{- if and (include "tollgate.operatorBudget" .) (ge (int .Values.operator.podDisruptionBudget.minAvailable) (int .Values.operator.replicas)) -}}
{{- fail "operator.podDisruptionBudget.minAvailable must be below operator.replicas, or no node could ever be drained" -}}
{{- end -}}
{{- if eq (int .Values.webhook.port) (int .Values.webhook.metricsPort) -}}
{{- fail "webhook.port and webhook.metricsPort must differ: one container cannot listen twice on one port" -}}
{{- end -}}
{{- if has .Release.Namespace .Values.watchNamespaces -}}
{{- fail "watchNamespaces must not contain the release namespace: Tollgate never intercepts its own namespace" -}}
{{- end -}}
{{- end -}}
