{{/*
The chart name, or nameOverride.
*/}}
{{- define "zendesk-sync.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name: release-chart, or the release name alone when it
already holds the chart name, or fullnameOverride. Kept to 38 characters so
that a CronJob name (full name plus "-conversations") stays within the 52
characters Kubernetes allows.
*/}}
{{- define "zendesk-sync.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 38 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 38 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 38 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "zendesk-sync.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object.
*/}}
{{- define "zendesk-sync.labels" -}}
helm.sh/chart: {{ include "zendesk-sync.chart" . }}
{{ include "zendesk-sync.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels that select the release's objects.
*/}}
{{- define "zendesk-sync.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zendesk-sync.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of one job's objects. Call with (dict "root" $ "component" "conversations").
*/}}
{{- define "zendesk-sync.componentLabels" -}}
{{ include "zendesk-sync.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Labels that select one job's pods.
*/}}
{{- define "zendesk-sync.componentSelectorLabels" -}}
{{ include "zendesk-sync.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Name of one job's CronJob (and of its chart-made Secret).
*/}}
{{- define "zendesk-sync.jobName" -}}
{{- printf "%s-%s" (include "zendesk-sync.fullname" .root) .component }}
{{- end }}

{{/*
Prefix of an ad-hoc Job's name: the CronJob name plus "-manual", short enough
that a 10-digit Unix time can follow and the name still fits a 63-character
label value (the job-name label on its pods).
*/}}
{{- define "zendesk-sync.manualJobPrefix" -}}
{{- printf "%s-manual" (include "zendesk-sync.jobName" . | trunc 44 | trimSuffix "-") }}
{{- end }}

{{/*
The ServiceAccount the pods run as.
*/}}
{{- define "zendesk-sync.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "zendesk-sync.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The claim holding the snapshots.
*/}}
{{- define "zendesk-sync.claimName" -}}
{{- default (printf "%s-data" (include "zendesk-sync.fullname" .)) .Values.persistence.existingClaim }}
{{- end }}

{{/*
Label telling which claim a pod writes to; pods with the same value are
scheduled together when persistence.colocatePods is on.
*/}}
{{- define "zendesk-sync.claimLabel" -}}
zendesk-sync.io/claim: {{ include "zendesk-sync.claimName" . | trunc 63 | trimSuffix "-" | quote }}
{{- end }}

{{/*
The image reference: repository@digest, or repository:tag (default appVersion).
*/}}
{{- define "zendesk-sync.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
Name of the Secret one job reads its credentials from, or "" when it reads
none. Call with (dict "root" $ "component" "helpcenter" "job" .Values.helpcenter).
The conversations job always has one: the Conversations API key is required.
*/}}
{{- define "zendesk-sync.secretName" -}}
{{- $c := .job.credentials }}
{{- if $c.existingSecret }}
{{- $c.existingSecret }}
{{- else if include "zendesk-sync.createSecret" . }}
{{- include "zendesk-sync.jobName" . }}
{{- end }}
{{- end }}

{{/*
"true" when the chart creates a Secret for the job, else "".
*/}}
{{- define "zendesk-sync.createSecret" -}}
{{- $c := .job.credentials }}
{{- if and .job.enabled (not $c.existingSecret) }}
{{- if or (eq .component "conversations") $c.zendeskEmail $c.zendeskApiToken $c.zendeskOauthToken }}
{{- print "true" }}
{{- end }}
{{- end }}
{{- end }}
