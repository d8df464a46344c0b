#!/usr/bin/env python3
"""Writes the recorded cluster of samples/cluster in the real API formats, and the same
replica/metric history as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`.

  gen-cluster-sample.py snapshot DIR            the snapshot (recordedAt 2026-11-26T19:00:00Z)
  gen-cluster-sample.py openmetrics END HOURS   history ending at END (Unix s), on stdout

The data is synthetic but deterministic: a daily traffic curve per module drives the HPA
desired count (ceil(metric / target) within min..max), replicas follow one sample later, and
every change of the replica count in the last 24 h becomes a SuccessfulRescale event.
Shapes follow reference/formats.md §1-§3 (omitempty: no replica counters on a Deployment scaled
to zero, no currentReplicas on a KEDA HPA at zero, quantities like "37500m").
"""
import json
import math
import zlib
import os
import sys

RECORDED = 1795719600  # 2026-11-26T19:00:00Z
STEP = 120

TENANTS = [
    # namespace, tenant label, edition, provider (None: modules follow their blueprints' clouds)
    ("vetclinic-001", "vetclinic-001", "premium", "azure"),
    ("pawsandclaws-002", "pawsandclaws-002", "standard", "aws"),
    ("northvet-003", "northvet-003", "enterprise", "gcp"),
    ("happytails-004", "happytails-004", "premium", None),
]

# module, deployment, version, scaler kind, min, max, target, base load, amplitude, phase.
# Bounds and versions are what the sample workspace renders for production (replicasFactor 2,
# tenant overrides); the deliberate differences are listed in gitops() below.
MODULES = {
    "vetclinic-001": [
        ("BookingService", "booking-service", "1.2.3", "keda", 4, 40, 100.0, 420.0, 330.0, 0.0),
        ("ClinicPortal", "clinic-portal", "3.1.0", "hpa-pods", 4, 12, 50.0, 250.0, 200.0, 0.7),
        ("NotificationService", "notification-service", "1.8.2", "keda", 4, 30, 200.0, 700.0, 600.0, 1.0),
        ("PaymentsService", "payments-service", "2.3.0", "hpa-cpu", 4, 24, 80.0, 90.0, 50.0, 2.0),
        ("RecordsImport", "records-import", "0.3.0", "keda-zero", 0, 20, 10.0, 0.0, 0.0, 0.0),
    ],
    "pawsandclaws-002": [
        ("BookingService", "booking-service", "1.2.3", "keda", 4, 20, 100.0, 300.0, 250.0, 0.5),
        # the cluster still runs the old maximum (8); Git says 12
        ("ClinicPortal", "clinic-portal", "3.1.0", "hpa-cpu", 4, 8, 70.0, 50.0, 40.0, 1.5),
    ],
    "northvet-003": [
        ("BookingService", "booking-service", "1.2.3", "keda", 6, 48, 100.0, 900.0, 700.0, 3.0),
        ("PaymentsService", "payments-service", "2.3.0", "hpa-cpu", 4, 24, 80.0, 60.0, 30.0, 0.2),
        ("ReminderWorker", "reminder-worker", "2.0.1", "keda", 4, 60, 50.0, 300.0, 280.0, 1.2),
    ],
    "happytails-004": [
        ("BookingService", "booking-service", "1.2.2", "keda", 4, 20, 100.0, 520.0, 390.0, 2.5),
        ("NotificationService", "notification-service", "1.8.2", "keda", 4, 30, 200.0, 300.0, 200.0, 0.4),
        # its HPA was deleted by hand: Git has one, the cluster does not
        ("TenantDirectory", "tenant-directory", "1.0.4", "none", 0, 0, 0.0, 0.0, 0.0, 0.0),
    ],
}

IMAGES = {
    "booking-service": "registry.vetclinic.example/platform/booking-service",
    "clinic-portal": "registry.vetclinic.example/web/clinic-portal",
    "payments-service": "registry.vetclinic.example/platform/payments-service",
}


def image(dep, ver):
    return "%s:%s" % (IMAGES.get(dep, "registry.local/" + dep), ver)


# KEDA trigger per deployment: (external metric name, scaler, trigger type, metadata)
TRIGGERS = {
    "booking-service": ("s1-rabbitmq", "rabbitMQScaler", "rabbitmq",
                        {"queueName": "booking-commands", "mode": "QueueLength", "value": "100", "hostFromEnv": "RABBITMQ_HOST"}),
    "notification-service": ("s0-prometheus", "prometheusScaler", "prometheus",
                             {"serverAddress": "http://prometheus.monitoring.svc:9090",
                              "query": "sum(notification_send_backlog{namespace=\"%s\"})", "threshold": "200"}),
    "reminder-worker": ("s0-rabbitmq", "rabbitMQScaler", "rabbitmq",
                        {"queueName": "reminders", "mode": "QueueLength", "value": "50", "hostFromEnv": "RABBITMQ_HOST"}),
    "records-import": ("s0-azure-servicebus", "azureServiceBusScaler", "azure-servicebus",
                       {"queueName": "records-import", "messageCount": "10", "connectionFromEnv": "SERVICEBUS_CONNECTION"}),
}

EDITIONS = {t[0]: t[2] for t in TENANTS}


def stable_hash(s):
    return zlib.crc32(s.encode())


def rfc3339(t):
    import datetime
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def load(t, base, amp, phase):
    """Requests per replica-independent load at time t: a daily curve plus a fast wobble."""
    day = 2 * math.pi * ((t % 86400) / 86400.0)
    v = base + amp * math.sin(day - 2.0 + phase) + 0.15 * amp * math.sin(t / 900.0 + phase)
    return max(v, 0.0)


def history(ns, mod, end, hours):
    """(times, metric, desired, replicas) for one module."""
    name, dep, ver, kind, mn, mx, target, base, amp, phase = mod
    n = int(hours * 3600 / STEP) + 1
    start = end - (n - 1) * STEP
    times = [start + i * STEP for i in range(n)]
    metric, desired, replicas = [], [], []
    prev = max(mn, 1) if kind != "keda-zero" else 0
    for t in times:
        if kind == "none":
            m = 0.0
            d = 2
        elif kind == "keda-zero":
            # Jobs arrive in the morning only; outside that KEDA scales to zero.
            hour = (t % 86400) / 3600.0
            m = 35.0 if 7.0 <= hour < 9.0 else 0.0
            d = min(mx, math.ceil(m / target)) if m > 0 else 0
        else:
            m = load(t, base, amp, phase)
            if kind == "hpa-cpu":
                m = min(m / (base + amp) * 100.0, 100.0)
                cur = max(prev, 1)
                d = math.ceil(cur * m / target)
            else:
                d = math.ceil(m / target)
            d = max(mn, min(mx, d))
        metric.append(round(m, 3))
        desired.append(d)
        replicas.append(prev)
        prev = d
    return times, metric, desired, replicas


def resource(dep):
    return "memory" if dep == "payments-service" else "cpu"


def hpa_name(mod):
    return ("keda-hpa-" + mod[1]) if mod[3].startswith("keda") else mod[1]


def series_all(end, hours):
    """Every series as (metric, labels, times, values)."""
    out = []
    ksm = {"job": "kube-state-metrics", "instance": "10.0.3.17:8080"}
    for ns, _, _, _ in TENANTS:
        for mod in MODULES[ns]:
            name, dep, ver, kind, mn, mx, target = mod[:7]
            times, metric, desired, replicas = history(ns, mod, end, hours)
            out.append(("kube_deployment_status_replicas", dict(ksm, namespace=ns, deployment=dep), times, replicas))
            if kind == "none":
                continue
            h = hpa_name(mod)
            lab = dict(ksm, namespace=ns, horizontalpodautoscaler=h)
            out.append(("kube_horizontalpodautoscaler_status_desired_replicas", lab, times, desired))
            out.append(("kube_horizontalpodautoscaler_spec_min_replicas", lab, times, [max(mn, 1)] * len(times)))
            out.append(("kube_horizontalpodautoscaler_spec_max_replicas", lab, times, [mx] * len(times)))
            if kind.startswith("keda"):
                trig, scaler = TRIGGERS[dep][0], TRIGGERS[dep][1]
                out.append(("keda_scaler_metrics_value",
                            {"job": "keda-operator", "instance": "10.0.3.30:8080", "namespace": ns,
                             "metric": trig, "scaledObject": dep, "scaler": scaler,
                             "triggerIndex": trig[1], "type": "scaledobject"}, times, metric))
            else:
                mname = "http_requests_per_second" if kind == "hpa-pods" else resource(dep)
                ttype = "average" if kind == "hpa-pods" else "utilization"
                out.append(("kube_horizontalpodautoscaler_status_target_metric",
                            dict(lab, metric_name=mname, metric_target_type=ttype), times, metric))
    return out


def fmt_value(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        s = repr(round(v, 3))
        return s[:-2] if s.endswith(".0") else s
    return str(v)


def openmetrics(end, hours):
    families = {}
    order = []
    for metric, labels, times, values in series_all(end, hours):
        if metric not in families:
            families[metric] = []
            order.append(metric)
        families[metric].append((labels, times, values))
    w = sys.stdout.write
    for metric in order:
        w("# HELP %s synthetic backfill (csf-tui tests)\n# TYPE %s gauge\n" % (metric, metric))
        for labels, times, values in families[metric]:
            lab = ",".join('%s="%s"' % (k, labels[k]) for k in sorted(labels))
            for t, v in zip(times, values):
                w("%s{%s} %s %d\n" % (metric, lab, fmt_value(v), t))
    w("# EOF\n")


def dump(path, obj, compact=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        if compact:
            json.dump(obj, f, separators=(",", ":"), ensure_ascii=True)
        else:
            json.dump(obj, f, indent=1, ensure_ascii=True)
        f.write("\n")


def labels_for(ns, mod):
    return {"app.kubernetes.io/name": mod[1], "app.kubernetes.io/version": mod[2],
            "csf.connectsoft.io/tenant": ns, "csf.connectsoft.io/module": mod[0],
            "csf.connectsoft.io/edition": EDITIONS[ns], "csf.connectsoft.io/environment": "production"}


def deployment(ns, mod, replicas_now, ready_now, image_tag=None):
    name, dep, ver = mod[:3]
    spec = {"selector": {"matchLabels": {"app.kubernetes.io/name": dep}},
            "template": {"metadata": {"labels": labels_for(ns, mod)},
                         "spec": {"containers": [
                             {"name": "app", "image": image(dep, image_tag or ver)},
                             {"name": "otel-sidecar", "image": "registry.example/otel/collector:0.98.0"}]}}}
    spec["replicas"] = replicas_now
    item = {"metadata": {"name": dep, "namespace": ns, "uid": "d%07d-0000-4000-8000-%012d" % (abs(stable_hash(ns)) % 10**7, abs(stable_hash(dep)) % 10**12),
                         "resourceVersion": "88%04d" % (len(dep) * 37 % 10000), "generation": 12,
                         "creationTimestamp": "2026-11-20T08:00:00Z",
                         "labels": labels_for(ns, mod),
                         "annotations": {"deployment.kubernetes.io/revision": "7"}},
            "spec": spec}
    st = {"observedGeneration": 12}
    if replicas_now:
        st.update({"replicas": replicas_now, "updatedReplicas": replicas_now})
        if ready_now:
            st.update({"readyReplicas": ready_now, "availableReplicas": ready_now})
        if ready_now < replicas_now:
            st["unavailableReplicas"] = replicas_now - ready_now
    st["conditions"] = [
        {"type": "Available", "status": "True" if ready_now or not replicas_now else "False",
         "lastUpdateTime": "2026-11-20T08:01:00Z", "lastTransitionTime": "2026-11-20T08:01:00Z",
         "reason": "MinimumReplicasAvailable" if ready_now or not replicas_now else "MinimumReplicasUnavailable",
         "message": "Deployment has minimum availability." if ready_now or not replicas_now else "Deployment does not have minimum availability."},
        {"type": "Progressing", "status": "True", "lastUpdateTime": "2026-11-26T18:42:30Z",
         "lastTransitionTime": "2026-11-20T07:59:00Z", "reason": "NewReplicaSetAvailable",
         "message": "ReplicaSet \"%s-6d9f7c8b5d\" has successfully progressed." % dep}]
    item["status"] = st
    return item


def quantity(v):
    """Canonical Kubernetes serialisation of a metric value (milli-units when fractional)."""
    m = int(round(v * 1000))
    return str(m // 1000) if m % 1000 == 0 else "%dm" % m


def ns_labels(ns, tenant, edition, provider):
    lab = {"kubernetes.io/metadata.name": ns, "csf.connectsoft.io/tenant": tenant,
           "csf.connectsoft.io/edition": edition}
    if provider:
        lab["csf.connectsoft.io/provider"] = provider
    return lab


def snapshot(d):
    dump(os.path.join(d, "snapshot.json"),
         {"recordedAt": rfc3339(RECORDED), "context": "prod-eu",
          "note": "synthetic recording in the real API formats (tools/gen-cluster-sample.py)"})
    # Namespaces: tenants plus two system namespaces without the tenant label.
    items = []
    for i, (ns, tenant, edition, provider) in enumerate(TENANTS):
        items.append({"metadata": {"name": ns, "uid": "11111111-2222-4333-8444-55555555500%d" % i,
                                   "resourceVersion": "12%02d" % i, "creationTimestamp": "2026-11-01T09:00:00Z",
                                   "labels": ns_labels(ns, tenant, edition, provider)},
                      "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
    for ns in ("kube-system", "monitoring"):
        items.append({"metadata": {"name": ns, "uid": "11111111-2222-4333-8444-5555555559%02d" % len(ns),
                                   "resourceVersion": "3", "creationTimestamp": "2026-11-01T08:00:00Z",
                                   "labels": {"kubernetes.io/metadata.name": ns}},
                      "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
    dump(os.path.join(d, "api/v1/namespaces.json"),
         {"kind": "NamespaceList", "apiVersion": "v1", "metadata": {"resourceVersion": "884240"}, "items": items})

    series = series_all(RECORDED, 24)
    for metric in sorted(set(s[0] for s in series)):
        res = []
        for m, labels, times, values in series:
            if m != metric:
                continue
            res.append({"metric": dict(labels, __name__=metric),
                        "values": [[t, fmt_value(v)] for t, v in zip(times, values)]})
        dump(os.path.join(d, "api/v1/query_range/%s.json" % metric),
             {"status": "success", "data": {"resultType": "matrix", "result": res}}, compact=True)

    for ns, tenant, edition, provider in TENANTS:
        deps, hpas, sos, events = [], [], [], []
        for mod in MODULES[ns]:
            name, dep, ver, kind, mn, mx, target = mod[:7]
            times, metric, desired, replicas = history(ns, mod, RECORDED, 24)
            cur, want, m_now = replicas[-1], desired[-1], metric[-1]
            ready = cur
            if (ns, dep) == ("vetclinic-001", "booking-service"):
                ready = max(cur - 1, 0)        # one pod still starting
            if (ns, dep) == ("happytails-004", "notification-service"):
                cur, ready = max(cur, mn), 0   # crash-looping: nothing ready
            deps.append(deployment(ns, mod, cur if kind != "keda-zero" else 0, ready))
            h = hpa_name(mod)
            if kind == "none":
                continue
            uidh = "6f1c1b2e-3a51-4c1e-9d7e-%012d" % (abs(stable_hash(ns + dep)) % 10**12)
            last_change = max((t for t, a, b in zip(times[1:], replicas, replicas[1:]) if a != b), default=0)
            status = {"observedGeneration": 3, "desiredReplicas": want if kind != "keda-zero" else 0}
            if last_change:
                status["lastScaleTime"] = rfc3339(last_change)
            if cur and kind != "keda-zero":
                status["currentReplicas"] = cur
            conds = [{"type": "AbleToScale", "status": "True", "lastTransitionTime": rfc3339(last_change or RECORDED - 3600),
                      "reason": "SucceededRescale" if last_change else "SucceededGetScale",
                      "message": "the HPA controller was able to update the target scale to %d" % want}]
            if kind.startswith("keda"):
                trig = TRIGGERS[dep][0]
                spec = {"scaleTargetRef": {"kind": "Deployment", "name": dep, "apiVersion": "apps/v1"},
                        "minReplicas": max(mn, 1), "maxReplicas": mx,
                        "metrics": [{"type": "External", "external": {
                            "metric": {"name": trig, "selector": {"matchLabels": {"scaledobject.keda.sh/name": dep}}},
                            "target": {"type": "AverageValue", "averageValue": quantity(target)}}}]}
                if kind == "keda-zero":
                    status["currentMetrics"] = None
                    conds.append({"type": "ScalingActive", "status": "False", "lastTransitionTime": "2026-11-26T09:05:00Z",
                                  "reason": "ScalingDisabled", "message": "scaling is disabled since the replica count of the target is zero"})
                else:
                    status["currentMetrics"] = [{"type": "External", "external": {"metric": {"name": trig, "selector": {"matchLabels": {"scaledobject.keda.sh/name": dep}}},
                                                                                   "current": {"averageValue": quantity(m_now / max(cur, 1))}}}]
                    conds.append({"type": "ScalingActive", "status": "True", "lastTransitionTime": "2026-11-20T08:00:30Z",
                                  "reason": "ValidMetricFound", "message": "the HPA was able to successfully calculate a replica count from external metric %s(&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: %s,},MatchExpressions:[]LabelSelectorRequirement{},})" % (trig, dep)})
                hpas.append({"metadata": {"name": h, "namespace": ns, "uid": uidh, "resourceVersion": "884190",
                                          "creationTimestamp": "2026-11-20T08:00:00Z",
                                          "labels": {"app.kubernetes.io/managed-by": "keda-operator", "scaledobject.keda.sh/name": dep},
                                          "ownerReferences": [{"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "name": dep, "uid": "7a0c0000-0000-4000-8000-000000000001", "controller": True, "blockOwnerDeletion": True}]},
                             "spec": spec, "status": status})
                meta = dict(TRIGGERS[dep][3])
                if "query" in meta:
                    meta["query"] = meta["query"] % ns
                trigger = {"type": TRIGGERS[dep][2], "metadata": meta}
                triggers = [trigger]
                if dep == "booking-service":
                    # The blueprint's cpu trigger comes first: KEDA hands it to the HPA as a
                    # Resource metric, so the queue trigger is index 1 (s1-rabbitmq).
                    triggers = [{"type": "cpu", "metricType": "Utilization", "metadata": {"value": "75"}}, trigger]
                active = kind == "keda" and cur > 0
                sos.append({"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
                            "metadata": {"name": dep, "namespace": ns, "uid": "7a0c0000-0000-4000-8000-000000000001",
                                         "resourceVersion": "884260", "generation": 2, "creationTimestamp": "2026-11-20T08:00:00Z",
                                         "finalizers": ["finalizer.keda.sh"], "labels": labels_for(ns, mod)},
                            "spec": {"scaleTargetRef": {"name": dep}, "pollingInterval": 30, "cooldownPeriod": 300,
                                     "minReplicaCount": mn, "maxReplicaCount": mx, "triggers": triggers},
                            "status": {"scaleTargetKind": "apps/v1.Deployment",
                                       "scaleTargetGVKR": {"group": "apps", "version": "v1", "kind": "Deployment", "resource": "deployments"},
                                       "originalReplicaCount": 1, "lastActiveTime": "2026-11-26T18:49:30Z",
                                       "externalMetricNames": [trig], "hpaName": h,
                                       "health": {trig: {"numberOfFailures": 0, "status": "Happy"}},
                                       "conditions": [
                                           {"type": "Ready", "status": "True", "reason": "ScaledObjectReady", "message": "ScaledObject is defined correctly and is ready for scaling"},
                                           {"type": "Active", "status": "True" if active else "False",
                                            "reason": "ScalerActive" if active else "ScalerNotActive",
                                            "message": "Scaling is performed because triggers are active" if active else "Scaling is not performed because triggers are not active"},
                                           {"type": "Fallback", "status": "False", "reason": "NoFallbackFound", "message": "No fallbacks are active on this scaled object"},
                                           {"type": "Paused", "status": "False", "reason": "ScaledObjectUnpaused", "message": "pause annotation removed for ScaledObject"}]}})
            else:
                if kind == "hpa-pods":
                    metrics = [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
                               {"type": "Pods", "pods": {"metric": {"name": "http_requests_per_second"},
                                                         "target": {"type": "AverageValue", "averageValue": quantity(target)}}}]
                    # The second metric drives; list it first so it is "the" metric of the view.
                    metrics.reverse()
                    cm = [{"type": "Pods", "pods": {"metric": {"name": "http_requests_per_second"}, "current": {"averageValue": quantity(m_now / max(cur, 1))}}},
                          {"type": "Resource", "resource": {"name": "cpu", "current": {"averageValue": "412m", "averageUtilization": 61}}}]
                else:
                    metrics = [{"type": "Resource", "resource": {"name": resource(dep), "target": {"type": "Utilization", "averageUtilization": int(target)}}}]
                    cm = [{"type": "Resource", "resource": {"name": resource(dep), "current": {"averageValue": "%dm" % int(m_now * 5), "averageUtilization": int(round(m_now))}}}]
                failing = (ns, dep) == ("vetclinic-001", "payments-service")
                if failing:
                    status["currentMetrics"] = None
                    conds.append({"type": "ScalingActive", "status": "False", "lastTransitionTime": "2026-11-26T18:02:11Z",
                                  "reason": "FailedGetResourceMetric",
                                  "message": "the HPA was unable to compute the replica count: failed to get memory utilization: unable to get metrics for resource memory: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)"})
                else:
                    status["currentMetrics"] = cm
                    conds.append({"type": "ScalingActive", "status": "True", "lastTransitionTime": "2026-11-20T08:00:30Z",
                                  "reason": "ValidMetricFound",
                                  "message": "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)"})
                conds.append({"type": "ScalingLimited", "status": "True" if want in (mn, mx) and want != cur else "False",
                              "lastTransitionTime": "2026-11-26T17:10:00Z",
                              "reason": "DesiredWithinRange", "message": "the desired count is within the acceptable range"})
                hpas.append({"metadata": {"name": h, "namespace": ns, "uid": uidh, "resourceVersion": "884190",
                                          "creationTimestamp": "2026-11-20T08:00:00Z", "labels": labels_for(ns, mod)},
                             "spec": {"scaleTargetRef": {"kind": "Deployment", "name": dep, "apiVersion": "apps/v1"},
                                      "minReplicas": mn, "maxReplicas": mx, "metrics": metrics,
                                      "behavior": {"scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                                                               "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]},
                                                   "scaleDown": {"stabilizationWindowSeconds": 300, "selectPolicy": "Max",
                                                                 "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}}},
                             "status": status})
            status["conditions"] = conds
            # Events: each replica change becomes a SuccessfulRescale on the HPA.
            why = {"hpa-pods": "pods metric http_requests_per_second above target",
                   "hpa-cpu": "%s resource utilization (percentage of request) above target" % resource(dep),
                   "keda": "external metric %s(&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: %s,},MatchExpressions:[]LabelSelectorRequirement{},}) above target" % (TRIGGERS.get(dep, ("",))[0], dep),
                   "keda-zero": "external metric %s(&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: %s,},MatchExpressions:[]LabelSelectorRequirement{},}) above target" % (TRIGGERS.get(dep, ("",))[0], dep),
                   "none": ""}[kind]
            for t, a, b in zip(times[1:], replicas, replicas[1:]):
                if a == b:
                    continue
                reason = why if b > a else "All metrics below target"
                if kind == "keda-zero" and b == 0:
                    continue  # KEDA itself deactivates to zero, not the HPA
                events.append(event(ns, h, "HorizontalPodAutoscaler", t, "SuccessfulRescale", "Normal",
                                    "New size: %d; reason: %s" % (b, reason), "horizontal-pod-autoscaler"))
            if kind == "keda-zero":
                for t, a, b in zip(times[1:], replicas, replicas[1:]):
                    if a == 0 and b > 0:
                        events.append(event(ns, dep, "ScaledObject", t, "KEDAScaleTargetActivated", "Normal",
                                            "Scaled apps/v1.Deployment %s/%s from 0 to %d" % (ns, dep, b), "keda-operator"))
                    if a > 0 and b == 0:
                        events.append(event(ns, dep, "ScaledObject", t, "KEDAScaleTargetDeactivated", "Normal",
                                            "Deactivated apps/v1.Deployment %s/%s from %d to 0" % (ns, dep, a), "keda-operator"))
            if (ns, dep) == ("vetclinic-001", "payments-service"):
                e = event(ns, h, "HorizontalPodAutoscaler", RECORDED - 3490, "FailedGetResourceMetric", "Warning",
                          "failed to get memory utilization: unable to get metrics for resource memory: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)",
                          "horizontal-pod-autoscaler")
                e["firstTimestamp"] = rfc3339(RECORDED - 3490)
                e["lastTimestamp"] = rfc3339(RECORDED - 3220)
                e["count"] = 19
                events.append(e)
                events.append(event(ns, h, "HorizontalPodAutoscaler", RECORDED - 3400, "FailedComputeMetricsReplicas", "Warning",
                                    "invalid metrics (1 invalid out of 1), first error is: failed to get memory resource metric value: failed to get memory utilization: unable to get metrics for resource memory: no metrics returned from resource metrics API",
                                    "horizontal-pod-autoscaler"))
            if (ns, dep) == ("happytails-004", "booking-service"):
                # Hostile data: an escape sequence (and a title-setting OSC) inside a message.
                events.append(event(ns, h, "HorizontalPodAutoscaler", RECORDED - 1500, "FailedRescale", "Warning",
                                    "New size: 6; reason: cpu resource utilization (percentage of request) above target; error: "
                                    "\u001b[31mdeployments.apps \"booking-service\" is forbidden: exceeded quota: compute-resources\u001b[0m\u001b]0;pwned\u0007",
                                    "horizontal-pod-autoscaler"))
            if (ns, dep) == ("vetclinic-001", "booking-service"):
                e = event(ns, h, "HorizontalPodAutoscaler", RECORDED - 600, "SuccessfulRescale", "Normal",
                          "(combined from similar events): New size: %d; reason: %s" % (replicas[-1], why),
                          "horizontal-pod-autoscaler")
                e["count"] = 3
                events.append(e)
        # Unsorted, as the API returns them.
        events.sort(key=lambda e: (len(e["metadata"]["name"]) * 7919 + stable_hash(e["metadata"]["name"])) % 1009)
        dump(os.path.join(d, "apis/apps/v1/namespaces/%s/deployments.json" % ns),
             {"kind": "DeploymentList", "apiVersion": "apps/v1", "metadata": {"resourceVersion": "884250"}, "items": deps})
        dump(os.path.join(d, "apis/autoscaling/v2/namespaces/%s/horizontalpodautoscalers.json" % ns),
             {"kind": "HorizontalPodAutoscalerList", "apiVersion": "autoscaling/v2", "metadata": {"resourceVersion": "884213"}, "items": hpas})
        dump(os.path.join(d, "apis/keda.sh/v1alpha1/namespaces/%s/scaledobjects.json" % ns),
             {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObjectList", "metadata": {"resourceVersion": "884260", "continue": ""}, "items": sos})
        dump(os.path.join(d, "api/v1/namespaces/%s/events.json" % ns),
             {"kind": "EventList", "apiVersion": "v1", "metadata": {"resourceVersion": "884230"}, "items": events})
    gitops(d)


def event(ns, obj, kind, t, reason, typ, msg, comp):
    name = "%s.%x" % (obj, int(t) * 1000000000 + (abs(stable_hash(reason)) % 1000))
    e = {"metadata": {"name": name, "namespace": ns, "uid": "a3b9d7e1-0c2f-4d5e-8f10-%012x" % (int(t) % 10**12),
                      "resourceVersion": "%d" % (880000 + int(t) % 4000), "creationTimestamp": rfc3339(t)},
         "involvedObject": {"kind": kind, "namespace": ns, "name": obj,
                            "apiVersion": "autoscaling/v2" if kind == "HorizontalPodAutoscaler" else "keda.sh/v1alpha1"},
         "reason": reason, "message": msg, "source": {"component": comp},
         "firstTimestamp": rfc3339(t), "lastTimestamp": rfc3339(t), "count": 1, "type": typ,
         "eventTime": None, "reportingComponent": comp, "reportingInstance": ""}
    if comp == "keda-operator":
        e["reportingComponent"] = ""
    return e


BLUEPRINT_VERSIONS = {"booking-service": "1.2.3"}
# Desired bounds that differ from what the cluster runs (everything else matches).
GIT_BOUNDS = {("pawsandclaws-002", "clinic-portal"): (4, 12), ("happytails-004", "tenant-directory"): (4, 40)}


def gitops(d):
    """The desired state as the GitOps repository holds it (DESIGN §6), with a little drift:
    vetclinic-001's BookingService 1.2.4 is promoted in Git but not rolled out; happytails-004 still
    runs BookingService 1.2.2; pawsandclaws-002's ClinicPortal max is 12 in Git, 8 live;
    happytails-004's TenantDirectory HPA is gone from the cluster; pawsandclaws-002's
    PaymentsService is in Git only."""
    for ns, _, edition, _ in TENANTS:
        for mod in MODULES[ns]:
            name, dep, ver, kind, mn, mx = mod[:6]
            want_ver = BLUEPRINT_VERSIONS.get(dep, ver)
            if (ns, dep) == ("vetclinic-001", "booking-service"):
                want_ver = "1.2.4"
            mn, mx = GIT_BOUNDS.get((ns, dep), (mn, mx))
            base = os.path.join(d, "gitops/environments/production", ns, name, "k8s")
            os.makedirs(base, exist_ok=True)
            with open(os.path.join(base, "deployment.yaml"), "w") as f:
                f.write("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n"
                        "    app.kubernetes.io/name: %s\n    app.kubernetes.io/version: \"%s\"\n"
                        "    csf.connectsoft.io/tenant: %s\n    csf.connectsoft.io/module: %s\n"
                        "    csf.connectsoft.io/edition: %s\n    csf.connectsoft.io/environment: production\n"
                        "spec:\n" % (dep, ns, dep, want_ver, ns, name, edition))
                f.write("  selector:\n    matchLabels:\n      app.kubernetes.io/name: %s\n"
                        "  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: %s\n"
                        "    spec:\n      containers:\n        - name: app\n          image: %s\n" % (dep, dep, image(dep, want_ver)))
            if kind.startswith("keda"):
                with open(os.path.join(base, "scaledobject.yaml"), "w") as f:
                    f.write("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: %s\n  namespace: %s\n"
                            "spec:\n  scaleTargetRef:\n    name: %s\n  minReplicaCount: %d\n  maxReplicaCount: %d\n"
                            % (dep, ns, dep, mn, mx))
            elif kind != "none" or (ns, dep) in GIT_BOUNDS:
                with open(os.path.join(base, "hpa.yaml"), "w") as f:
                    f.write("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: %s\n  namespace: %s\n"
                            "spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: %s\n"
                            "  minReplicas: %d\n  maxReplicas: %d\n" % (dep, ns, dep, mn, mx))
    # A module that Git wants and the cluster does not run.
    base = os.path.join(d, "gitops/environments/production/pawsandclaws-002/PaymentsService/k8s")
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(base, "deployment.yaml"), "w") as f:
        f.write("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments-service\n  namespace: pawsandclaws-002\n"
                "  labels:\n    app.kubernetes.io/name: payments-service\n    app.kubernetes.io/version: \"2.3.0\"\n"
                "spec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: payments-service\n"
                "  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: payments-service\n"
                "    spec:\n      containers:\n        - name: app\n          image: %s\n" % image("payments-service", "2.3.0"))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "snapshot":
        snapshot(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "openmetrics":
        openmetrics(int(sys.argv[2]), float(sys.argv[3]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
