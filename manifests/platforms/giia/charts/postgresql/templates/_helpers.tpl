{{- define "postgresql.labels" -}}
app.kubernetes.io/name: postgresql
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: primary
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: giia
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}
{{- define "postgresql.selectorLabels" -}}
app.kubernetes.io/name: postgresql
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: primary
{{- end }}
{{- define "postgresql.secretName" -}}
{{- .Values.global.postgresql.auth.existingSecret | default (printf "%s-auth" .Release.Name) }}
{{- end }}
{{- define "postgresql.secretKey" -}}
{{- if .Values.global.postgresql.auth.existingSecret }}{{ .Values.global.postgresql.auth.secretKeys.userPasswordKey }}{{ else }}password{{ end }}
{{- end }}
