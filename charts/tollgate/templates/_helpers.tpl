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

{{/* The hardened pod and container security contexts (the same the webhook gives the sidecar). */}}
{{- define "tollgate.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "tollgate.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Checks that fail the render with a message rather than install something broken. */}}
{{- define "tollgate.validate" -}}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection.enabled) -}}
{{- fail "operator.replicas > 1 needs operator.leaderElection.enabled: two operators without a leader would both write every bundle and status" -}}
{{- end -}}
{{- if lt (int .Values.webhook.replicas) 1 -}}
{{- fail "webhook.replicas must be at least 1: the pod webhook fails closed, so with no replica no agent pod can be created" -}}
{{- end -}}
{{- if or (lt (int .Values.webhook.timeoutSeconds) 1) (gt (int .Values.webhook.timeoutSeconds) 30) -}}
{{- fail "webhook.timeoutSeconds must be between 1 and 30 (the API server's limits)" -}}
{{- end -}}
{{- if not (has (toString .Values.injection.nativeSidecars) (list "auto" "true" "false")) -}}
{{- fail "injection.nativeSidecars must be auto, true or false" -}}
{{- end -}}
{{- if not (has (toString .Values.injection.egress.initContainer) (list "true" "false")) -}}
{{- fail "injection.egress.initContainer must be true or false" -}}
{{- end -}}
{{- if not (has .Values.sidecar.auditExport.protocol (list "http" "otlp")) -}}
{{- fail "sidecar.auditExport.protocol must be http or otlp" -}}
{{- end -}}
{{- if and .Values.sidecar.auditExport.headersSecret (not .Values.sidecar.auditExport.endpoint) -}}
{{- fail "sidecar.auditExport.headersSecret needs sidecar.auditExport.endpoint: headers for no export" -}}
{{- end -}}
{{- if not (has .Values.webhook.antiAffinity (list "soft" "hard" "none")) -}}
{{- fail "webhook.antiAffinity must be soft, hard or none" -}}
{{- end -}}
{{- if and .Values.webhook.podDisruptionBudget.enabled (ge (int .Values.webhook.podDisruptionBudget.minAvailable) (int .Values.webhook.replicas)) -}}
{{- fail "webhook.podDisruptionBudget.minAvailable must be below webhook.replicas, or no node could ever be drained" -}}
{{- end -}}
{{- if has .Release.Namespace .Values.watchNamespaces -}}
{{- fail "watchNamespaces must not contain the release namespace: Tollgate never intercepts its own namespace" -}}
{{- end -}}
{{- end -}}
