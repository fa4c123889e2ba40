{{/*
Names and labels shared by every template of the hub chart. Names follow Helm's
conventions (nameOverride, fullnameOverride, truncated to 63 characters).
*/}}

{{- define "flotilla.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "flotilla.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "flotilla.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels; call with (dict "root" $ "component" "hub"). */}}
{{- define "flotilla.labels" -}}
helm.sh/chart: {{ include "flotilla.chart" .root }}
{{ include "flotilla.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: flotilla
{{- end }}

{{/* Selector labels; call with (dict "root" $ "component" "hub"). */}}
{{- define "flotilla.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flotilla.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Object name of a component: <fullname>-<component>. */}}
{{- define "flotilla.componentName" -}}
{{- printf "%s-%s" (include "flotilla.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* ServiceAccount name of a component; call with (dict "root" $ "component" "hub"). */}}
{{- define "flotilla.serviceAccountName" -}}
{{- $sa := (index .root.Values .component).serviceAccount }}
{{- if $sa.create }}
{{- default (include "flotilla.componentName" .) $sa.name }}
{{- else }}
{{- default "default" $sa.name }}
{{- end }}
{{- end }}

{{- define "flotilla.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The gateway's Service, whose DNS name the serving certificate carries. */}}
{{- define "flotilla.gateway.serviceName" -}}
{{- include "flotilla.componentName" (dict "root" . "component" "gateway") }}
{{- end }}

{{- define "flotilla.gateway.tlsSecretName" -}}
{{- printf "%s-tls" (include "flotilla.gateway.serviceName" .) }}
{{- end }}

{{/* The CRDs in crds/, by name: the hub reads them (and only them) at start. */}}
{{- define "flotilla.crdNames" -}}
{{- range $path, $_ := .Files.Glob "crds/*.yaml" }}
{{- $crd := $.Files.Get $path | fromYaml }}
- {{ $crd.metadata.name }}
{{- end }}
{{- end }}

{{/* Pod-level scheduling and pull settings of a component's values (.values) and the root. */}}
{{- define "flotilla.podScheduling" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end }}
