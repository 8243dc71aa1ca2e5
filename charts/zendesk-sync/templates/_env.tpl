{{/*
The settings both programs read, as a dict of environment variables.
*/}}
{{- define "zendesk-sync.commonEnv" -}}
{{- $v := .Values }}
{{- $env := dict
  "DATA_DIR" "/data"
  "KEEP_SNAPSHOTS" ($v.sync.keepSnapshots | int64 | toString)
  "LOG_LEVEL" $v.sync.logLevel
  "LOG_FORMAT" $v.sync.logFormat
  "HTTP_TIMEOUT" $v.sync.httpTimeout
  "MAX_RETRIES" ($v.sync.maxRetries | int64 | toString)
  "CONCURRENCY" ($v.sync.concurrency | int64 | toString)
  "RATE_LIMIT" ($v.sync.rateLimit | int64 | toString)
}}
{{- with $v.zendesk.subdomain }}{{ $_ := set $env "ZENDESK_SUBDOMAIN" . }}{{ end }}
{{- with $v.zendesk.baseUrl }}{{ $_ := set $env "ZENDESK_BASE_URL" . }}{{ end }}
{{- toYaml $env }}
{{- end }}

{{/*
The conversations-sync settings, as a dict of environment variables.
SUNCO_APP_ID is always set: the program requires it.
*/}}
{{- define "zendesk-sync.conversationsEnv" -}}
{{- $j := .Values.conversations }}
{{- $env := include "zendesk-sync.commonEnv" . | fromYaml }}
{{- $_ := set $env "SUNCO_APP_ID" $j.sunco.appId }}
{{- $_ := set $env "SUNCO_AUTH_TYPE" $j.sunco.authType }}
{{- $_ := set $env "SYNC_DAYS" ($j.syncDays | int64 | toString) }}
{{- with $j.sunco.baseUrl }}{{ $_ := set $env "SUNCO_BASE_URL" . }}{{ end }}
{{- with $j.conversationIds }}{{ $_ := set $env "CONVERSATION_IDS" . }}{{ end }}
{{- with $j.userIds }}{{ $_ := set $env "SUNCO_USER_IDS" . }}{{ end }}
{{- toYaml $env }}
{{- end }}

{{/*
The helpcenter-sync settings, as a dict of environment variables.
*/}}
{{- define "zendesk-sync.helpcenterEnv" -}}
{{- $j := .Values.helpcenter }}
{{- $env := include "zendesk-sync.commonEnv" . | fromYaml }}
{{- $_ := set $env "HELPCENTER_ATTACHMENTS" ($j.attachments | toString) }}
{{- with $j.locales }}{{ $_ := set $env "HELPCENTER_LOCALES" . }}{{ end }}
{{- toYaml $env }}
{{- end }}

{{/*
The credentials one job may read, as a list of
{env, key, value, required}: env is the variable, key the value's key in the
Secret, value what the chart puts in the Secret it creates.
*/}}
{{- define "zendesk-sync.credentialEnv" -}}
{{- $c := .job.credentials }}
{{- $list := list }}
{{- if eq .component "conversations" }}
{{- $list = append $list (dict "env" "SUNCO_KEY_ID" "key" $c.keys.suncoKeyId "value" $c.suncoKeyId "required" true) }}
{{- $list = append $list (dict "env" "SUNCO_KEY_SECRET" "key" $c.keys.suncoKeySecret "value" $c.suncoKeySecret "required" true) }}
{{- end }}
{{- $list = append $list (dict "env" "ZENDESK_EMAIL" "key" $c.keys.zendeskEmail "value" $c.zendeskEmail "required" false) }}
{{- $list = append $list (dict "env" "ZENDESK_API_TOKEN" "key" $c.keys.zendeskApiToken "value" $c.zendeskApiToken "required" false) }}
{{- $list = append $list (dict "env" "ZENDESK_OAUTH_TOKEN" "key" $c.keys.zendeskOauthToken "value" $c.zendeskOauthToken "required" false) }}
{{- toYaml (dict "items" $list) }}
{{- end }}
