# Stands in for prom/alertmanager: Debian's Alertmanager 0.25 at /bin/alertmanager, run as nobody.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends prometheus-alertmanager && rm -rf /var/lib/apt/lists/* \
  && ln -s /usr/bin/prometheus-alertmanager /bin/alertmanager && mkdir -p /alertmanager && chown nobody:nogroup /alertmanager
USER nobody
VOLUME /alertmanager
WORKDIR /alertmanager
EXPOSE 9093
ENTRYPOINT ["/bin/alertmanager"]
CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"]
