# Alertmanager 0.25 from the Debian package's binaries (installed by lab/components/alertmanager.sh;
# dynamically linked against glibc only, hence the Debian base). Same contract as prom/alertmanager:
# /bin/alertmanager and /bin/amtool, /etc/alertmanager/alertmanager.yml, data in /alertmanager,
# port 9093, user nobody; plus Debian's templates in /usr/share/prometheus/alertmanager. The default
# configuration sends everything to the webhook sink of the same namespace (receiver `webhook`,
# http://webhook-sink:8080/webhook); platforms mount their own.
REF="kubeproof.local/alertmanager:${ALERTMANAGER_DEB%%-*}"
BASE=debian
CONFIG='{"Entrypoint":["/bin/alertmanager"],"Cmd":["--config.file=/etc/alertmanager/alertmanager.yml","--storage.path=/alertmanager"],"User":"65534:65534","WorkingDir":"/alertmanager","ExposedPorts":{"9093/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}'
populate() {
  bash "$LAB_DIR/components/alertmanager.sh" >&2
  mkdir -p "$1/bin" "$1/etc/alertmanager" "$1/alertmanager"
  cp -L /usr/bin/prometheus-alertmanager "$1/bin/alertmanager"
  cp -L /usr/bin/amtool "$1/bin/amtool"
  # Debian's build reads its notification templates from here (upstream embeds them): without them no config loads.
  mkdir -p "$1/usr/share/prometheus"
  cp -rL /usr/share/prometheus/alertmanager "$1/usr/share/prometheus/alertmanager"
  cat > "$1/etc/alertmanager/alertmanager.yml" <<'YML'
route:
  receiver: webhook
  group_by: [alertname]
receivers:
  - name: webhook
    webhook_configs:
      - url: http://webhook-sink:8080/webhook
        send_resolved: true
YML
  chown 65534:65534 "$1/alertmanager"
  "$1/bin/alertmanager" --version >&2
}
