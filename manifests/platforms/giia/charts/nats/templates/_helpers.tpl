{{- define "nats.labels" -}}
app.kubernetes.io/name: nats
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: giia
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}
{{- define "nats.selectorLabels" -}}
app.kubernetes.io/name: nats
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
{{- define "nats.jetstream" -}}
{{- and .Values.nats.jetstream.enabled .Values.config.jetstream.enabled }}
{{- end }}
{{/* A Kubernetes quantity (Ki/Mi/Gi or plain bytes) as bytes, which nats-server's config reads. */}}
{{- define "nats.bytes" -}}
{{- $q := toString . -}}
{{- if hasSuffix "Gi" $q }}{{ mul (trimSuffix "Gi" $q | int64) 1073741824 }}
{{- else if hasSuffix "Mi" $q }}{{ mul (trimSuffix "Mi" $q | int64) 1048576 }}
{{- else if hasSuffix "Ki" $q }}{{ mul (trimSuffix "Ki" $q | int64) 1024 }}
{{- else }}{{ $q | int64 }}{{ end }}
{{- end }}
