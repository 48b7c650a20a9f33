#!/usr/bin/env bash
# The in-cluster rehearsal, end to end, on one of two providers with the same steps and assertions:
#   kind       where Docker and kind exist: a throwaway kind cluster (kind-config.yaml);
#   real-node  here (root, no Docker): `pushpull dev-cluster up --real-node`, a real kubelet +
#              containerd node on a private bridge (devcluster/real-node/).
# Images are built without Docker from what the Dockerfile describes (`pushpull dev-cluster images`) and
# loaded as docker-archives (ctr import on the real node, `kind load image-archive` on kind). Then: install
# the chart with helm, apply each example scaled to fit (scale-for-kind.mjs), wait for Succeeded, check
# each report ConfigMap (check-report.mjs), and on failure leave objects, events and logs in out/e2e/.
# Skips (exit 0, saying why) where neither provider can run.
# Usage: test-e2e/run.sh [--keep]
#   PUSHPULL_E2E_PROVIDER=auto|kind|real-node (auto: kind if Docker answers, else real-node)
#   PUSHPULL_E2E_EXAMPLES="quick market-open"  (default: quick; "" for none; an entry with a / is a spec path
#   from the repository root, e.g. local/scenarios/short-lived-jobs/experiment.yaml)   PUSHPULL_E2E_TIMEOUT=900 (seconds)
#   PUSHPULL_E2E_SCHEDULE=1: also a real regression between two scheduled runs (test-e2e/nightly/)
#   PUSHPULL_E2E_SWEEP=1  also run the first example as a sweep (spec.sweep) and check every step's report
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
namespace=pushpull-e2e
timeout_s=${PUSHPULL_E2E_TIMEOUT:-900}
examples=${PUSHPULL_E2E_EXAMPLES-quick}
provider=${PUSHPULL_E2E_PROVIDER:-auto}
keep=false
[ "${1:-}" = "--keep" ] && keep=true
# shellcheck source=../tools/versions.env
source "$root/tools/versions.env"
tools=${PUSHPULL_TOOLS_DIR:-$HOME/.cache/pushpull/tools}
# Node 24 from the node@24 devDependency (the system node may be older).
node=${PUSHPULL_E2E_NODE:-$root/node_modules/node/bin/node}
pushpull() { "$node" "$root/bin/pushpull.js" "$@"; }

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
skip() { log "SKIP: $*"; echo "e2e: 0 passed, 0 failed, 1 skipped"; exit 0; }
t0=$SECONDS
since() { echo "$((SECONDS - t0))s"; }

docker_ok() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && command -v kind >/dev/null 2>&1; }
if [ "$provider" = auto ]; then
  if docker_ok; then provider=kind; else provider=real-node; fi
fi
helm=${HELM:-$tools/helm-$HELM_VERSION/helm}
[ -x "$helm" ] || helm=$(command -v helm || true)
[ -n "$helm" ] && [ -x "$helm" ] || skip "helm is not available (npm run tools builds it)"
case "$provider" in
  kind)
    docker_ok || skip "kind e2e: Docker or kind is missing (docker info failed or kind not installed)"
    kubectl=$(command -v kubectl || echo "$tools/kube-node-$KUBERNETES_VERSION/kubectl")
    cluster=pushpull-e2e
    provider_up() {
      kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
      kind create cluster --name "$cluster" --config "$root/kind-config.yaml" --wait 120s
      export KUBECONFIG="$work/kubeconfig"
      kind get kubeconfig --name "$cluster" >"$KUBECONFIG"
    }
    provider_images() {
      pushpull dev-cluster images --out "$work/images"
      for a in "$work"/images/*.tar; do kind load image-archive "$a" --name "$cluster"; done
    }
    provider_down() { kind delete cluster --name "$cluster" >/dev/null 2>&1 || true; }
    ;;
  real-node)
    [ "$(id -u)" = 0 ] || skip "real-node e2e: needs root (bridge, iptables, mounts, cgroups)"
    [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] || skip "real-node e2e: no br_netfilter in this kernel"
    [ -x "$tools/kube-node-$KUBERNETES_VERSION/kubelet" ] || skip "real-node e2e: the node's programs are not built (bash tools/setup.sh real-node)"
    [ -e /sys/class/net/pp-node0 ] && skip "real-node e2e: another real node runs on this machine (bridge pp-node0)"
    kubectl="$tools/kube-node-$KUBERNETES_VERSION/kubectl"
    provider_up() {
      pushpull dev-cluster up --real-node --dir "$cdir" >"$work/up.log" 2>&1 &
      up_pid=$!
      for _ in $(seq 1 240); do
        grep -q '^Dev cluster ready' "$work/up.log" && break
        kill -0 "$up_pid" 2>/dev/null || { cat "$work/up.log" >&2; return 1; }
        sleep 0.5
      done
      grep -q '^Dev cluster ready' "$work/up.log" || { cat "$work/up.log" >&2; return 1; }
      grep -E 'ready|Ready' "$work/up.log" >&2
      export KUBECONFIG="$cdir/kubeconfig"
    }
    provider_images() { pushpull dev-cluster images --dir "$cdir"; }
    provider_down() {
      [ -n "${up_pid:-}" ] || return 0
      pushpull dev-cluster down --dir "$cdir" || true
      wait "$up_pid" 2>/dev/null || true
      [ -f "$cdir/real-node/teardown.sh" ] && sh "$cdir/real-node/teardown.sh"
      return 0
    }
    ;;
  *) echo "test-e2e/run.sh: PUSHPULL_E2E_PROVIDER=$provider is not allowed (auto, kind, real-node)" >&2; exit 2 ;;
esac
k() { "$kubectl" "$@"; }
work=$(mktemp -d /tmp/pushpull-e2e-XXXXXX)
cdir="$work/cluster"
evidence="$root/out/e2e"
mkdir -p "$evidence"

dump() {
  log "collecting evidence in $evidence"
  k get all,ppx,pps,configmaps,endpointslices,nodes -A -o wide >"$evidence/objects.txt" 2>&1 || true
  k get ppx -A -o yaml >"$evidence/experiments.yaml" 2>&1 || true
  k get pps -A -o yaml >"$evidence/schedules.yaml" 2>&1 || true
  k -n pushpull-system logs deploy/pushpull --tail=-1 >"$evidence/operator.log" 2>&1 || true
  k get events -A --sort-by=.lastTimestamp >"$evidence/events.txt" 2>&1 || true
  for pod in $(k -n "$namespace" get pods -o name 2>/dev/null); do
    k -n "$namespace" logs "$pod" --all-containers --tail=300 >"$evidence/$(basename "$pod").log" 2>&1 || true
  done
  [ "$provider" = real-node ] && cp "$cdir"/real-node/*.log "$cdir"/*.log "$evidence/" 2>/dev/null
  return 0
}
cleanup() {
  local rc=$?
  set +e
  [ $rc -ne 0 ] && dump
  if [ "$keep" = false ]; then provider_down; rm -rf "$work"; else log "kept: KUBECONFIG=$KUBECONFIG"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "provider $provider: starting the cluster"
provider_up
log "cluster up ($(since)); building and loading images"
provider_images
log "images loaded ($(since)); installing the chart"
"$helm" install pushpull "$root/charts/pushpull" --namespace pushpull-system --create-namespace \
  --set image.pullPolicy=Never --wait --timeout 180s
log "chart installed, operator Ready ($(since))"
k create namespace "$namespace" --dry-run=client -o yaml | k apply -f -

passed=0
failed=0
if [ "${PUSHPULL_E2E_SCHEDULE:-0}" = 1 ]; then
  # shellcheck source=nightly/run-nightly.sh
  source "$here/nightly/run-nightly.sh"
  if nightly_e2e; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  log "nightly schedule done ($(since))"
fi
names=()
for ex in $examples; do
  case "$ex" in */*) spec="$root/$ex" ;; *) spec="$root/examples/$ex.yaml" ;; esac
  name=$("$node" -e "const y=require('yaml');process.stdout.write(y.parse(require('fs').readFileSync(process.argv[1],'utf8')).metadata.name)" "$spec")
  "$node" "$here/scale-for-kind.mjs" "$spec" >"$work/$name.yaml"
  k -n "$namespace" apply -f "$work/$name.yaml"
  names+=("$name")
done
# Benchmark figure: apply → every workload pod Ready, as the operator counts them (status.pods "n/n").
applied=$SECONDS
for name in "${names[@]}"; do
  ready=""
  for _ in $(seq 1 600); do
    pods=$(k -n "$namespace" get ppx "$name" -o jsonpath='{.status.pods}' 2>/dev/null || true)
    if [ -n "$pods" ] && [ "${pods%/*}" = "${pods#*/}" ] && [ "${pods#*/}" != 0 ]; then ready=$pods; break; fi
    sleep 0.5
  done
  log "$name: apply → pods Ready ${ready:-not within 300 s} after $((SECONDS - applied))s"
done

# PUSHPULL_E2E_FAULTS=1: faults of the cluster itself, on the first example, once its load runs — a pull
# producer pod deleted with no grace (the report must name it) and the operator pod SIGKILLed (its
# replacement must finish the experiment with one report).
fault_name=""
if [ "${PUSHPULL_E2E_FAULTS:-0}" = 1 ]; then
  fault_name=${names[0]}
  victim=$(k -n "$namespace" get pods -l "pushpull.dev/experiment=$fault_name,app.kubernetes.io/component=producer-pull" \
    -o jsonpath='{.items[0].metadata.name}')
  victim_uid=$(k -n "$namespace" get pod "$victim" -o jsonpath='{.metadata.uid}')
  # "Mid-run" means after the victim acknowledged startAt (its UID is in status.startDelivered) and the load
  # began: a pod deleted before that never carried the load, and the report rightly says it never got startAt.
  started=""
  for _ in $(seq 1 240); do
    start_at=$(k -n "$namespace" get ppx "$fault_name" -o jsonpath='{.status.startAt}' 2>/dev/null || true)
    delivered=$(k -n "$namespace" get ppx "$fault_name" -o jsonpath='{.status.startDelivered}' 2>/dev/null || true)
    if [ -n "$start_at" ] && [[ "$delivered" == *"$victim_uid"* ]] &&
      [ "$(date -u +%s)" -gt "$(date -u -d "$start_at" +%s)" ]; then
      started=yes
      break
    fi
    sleep 0.5
  done
  [ -n "$started" ] || log "note: $victim had not acknowledged startAt within 120 s; deleting it anyway"
  k -n "$namespace" delete pod "$victim" --grace-period=0 --force >/dev/null 2>&1
  log "fault: deleted producer pod $victim with no grace"
  k -n pushpull-system delete pod -l app.kubernetes.io/name=pushpull --grace-period=0 --force >/dev/null 2>&1
  log "fault: killed the operator pod"
fi

deadline=$((SECONDS + timeout_s))
for name in "${names[@]}"; do
  log "waiting for $name"
  phase=""
  while [ $SECONDS -lt $deadline ]; do
    phase=$(k -n "$namespace" get ppx "$name" -o jsonpath='{.status.phase}' 2>/dev/null || true)
    { [ "$phase" = Succeeded ] || [ "$phase" = Failed ]; } && break
    sleep 5
  done
  if [ "$phase" != Succeeded ]; then
    log "FAIL: $name ended in phase '${phase:-none}'"
    failed=$((failed + 1))
    continue
  fi
  k -n "$namespace" get ppx "$name"
  # PUSHPULL_E2E_LOCAL=1: the same scaled spec rehearsed on this machine too; both must measure the same figures.
  compare=()
  # A real kubelet with a serving certificate of the cluster's CA: the collectors' use must be measured.
  [ "$provider" = real-node ] && compare+=(--collectors)
  if [ "${PUSHPULL_E2E_LOCAL:-0}" = 1 ]; then
    log "rehearsing $name locally for the comparison"
    if pushpull run "$work/$name.yaml" --out "$work/local-$name" >"$evidence/$name-local.log" 2>&1 ||
      [ -s "$work/local-$name/report.json" ]; then
      cp "$work/local-$name/report.json" "$evidence/$name-local-report.json"
      compare+=(--local "$work/local-$name/report.json")
    else
      log "FAIL: the local rehearsal of $name wrote no report (see $evidence/$name-local.log)"
      failed=$((failed + 1))
      continue
    fi
  fi
  if k -n "$namespace" get configmap "$name-report" -o jsonpath='{.data.report\.json}' | "$node" "$here/check-report.mjs" "${compare[@]}" &&
    pushpull report "$name" --namespace "$namespace" --kubeconfig "$KUBECONFIG" --format md >"$evidence/$name-report.md" &&
    grep -q . "$evidence/$name-report.md" && k explain ppx.spec.arms.statsd >/dev/null; then
    log "ok: $name ($(since)); pushpull report rendered it ($evidence/$name-report.md), kubectl explain ppx.spec.arms.statsd answers"
    if [ "$name" = "$fault_name" ]; then
      # Read whole, then search: `kubectl ... | grep -q` fails under pipefail when grep stops reading early.
      report_text=$(k -n "$namespace" get configmap "$name-report" -o jsonpath='{.data.report\.json}')
      if ! grep -q "$victim: .*replaced during the run" <<<"$report_text"; then
        log "FAIL: $name: the report does not name the deleted producer pod $victim"
        failed=$((failed + 1))
        continue
      fi
      log "ok: the report names the deleted producer pod $victim; the operator's replacement finished the experiment"
      k -n "$namespace" delete ppx "$name" --wait=true --timeout=120s >/dev/null
      left=""
      for _ in $(seq 1 120); do
        left=$(k -n "$namespace" get pods,deployments,statefulsets,services -l "pushpull.dev/experiment=$name" -o name 2>/dev/null)
        [ -z "$left" ] && break
        sleep 1
      done
      if [ -n "$left" ]; then
        log "FAIL: deleting $name left: $left"
        failed=$((failed + 1))
        continue
      fi
      log "ok: deleting $name removed everything it owned"
    fi
    passed=$((passed + 1))
  else
    log "FAIL: $name: its report in ConfigMap $name-report does not pass the checks"
    failed=$((failed + 1))
  fi
done

# PUSHPULL_E2E_SWEEP=1: the first example as a sweep (spec.sweep, two steps at 1× and 2×): the operator runs
# one step experiment at a time, each step's report must pass the same checks, and the capacity report
# (ConfigMap <name>-capacity) and its sentence in status must exist.
if [ "${PUSHPULL_E2E_SWEEP:-0}" = 1 ]; then
  base=${names[0]}
  sweep="$base-sweep"
  step_checks=(--sweep-step)
  [ "$provider" = real-node ] && step_checks+=(--collectors)
  "$node" -e "const y=require('yaml'),fs=require('fs');const d=y.parse(fs.readFileSync(process.argv[1],'utf8'));
    d.metadata.name=process.argv[2];d.spec.sweep={factor:2,maxSteps:2,maxSeconds:1200};process.stdout.write(y.stringify(d))" \
    "$work/$base.yaml" "$sweep" >"$work/$sweep.yaml"
  # The examples' workloads go first (their reports stay): the sweep's steps get the machine to themselves.
  for n in "${names[@]}"; do
    k -n "$namespace" patch ppx "$n" --type merge -p '{"spec":{"ttlSecondsAfterFinished":0}}' >/dev/null
    for _ in $(seq 1 120); do
      [ -z "$(k -n "$namespace" get pods -l "pushpull.dev/experiment=$n" -o name 2>/dev/null)" ] && break
      sleep 1
    done
  done
  k -n "$namespace" apply -f "$work/$sweep.yaml"
  log "waiting for the sweep $sweep"
  phase=""
  while [ $SECONDS -lt $((deadline + 900)) ]; do
    phase=$(k -n "$namespace" get ppx "$sweep" -o jsonpath='{.status.phase}' 2>/dev/null || true)
    { [ "$phase" = Succeeded ] || [ "$phase" = Failed ]; } && break
    sleep 5
  done
  k -n "$namespace" get ppx -l "pushpull.dev/sweep=$sweep"
  if [ "$phase" != Succeeded ]; then
    log "FAIL: the sweep $sweep ended in phase '${phase:-none}': $(k -n "$namespace" get ppx "$sweep" -o jsonpath='{.status.message}')"
    failed=$((failed + 1))
  elif ! k -n "$namespace" get configmap "$sweep-capacity" -o jsonpath='{.data.capacity\.json}' >"$evidence/$sweep-capacity.json"; then
    log "FAIL: the sweep $sweep has no capacity report"
    failed=$((failed + 1))
  else
    k -n "$namespace" get configmap "$sweep-capacity" -o jsonpath='{.data.capacity\.md}' >"$evidence/$sweep-capacity.md"
    ok=yes
    for step in $(k -n "$namespace" get ppx -l "pushpull.dev/sweep=$sweep" -o jsonpath='{.items[*].metadata.name}'); do
      log "checking the report of step $step"
      k -n "$namespace" get configmap "$step-report" -o jsonpath='{.data.report\.json}' | "$node" "$here/check-report.mjs" "${step_checks[@]}" || ok=""
    done
    log "sweep: $(k -n "$namespace" get ppx "$sweep" -o jsonpath='{.status.verdict}')"
    if [ -n "$ok" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); log "FAIL: a step report of $sweep does not pass the checks"; fi
  fi
fi

# Benchmark figures: the operator pod's memory (kubelet's stats summary) and its API writes (its /metrics).
op=$(k -n pushpull-system get pods -l app.kubernetes.io/name=pushpull -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)
if [ -n "$op" ]; then
  opnode=$(k -n pushpull-system get pod "$op" -o jsonpath='{.spec.nodeName}')
  k get --raw "/api/v1/nodes/$opnode/proxy/stats/summary" 2>/dev/null | "$node" -e "
    let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const p=JSON.parse(s).pods.find(x=>x.podRef.name===process.argv[1]);
    const m=p?.containers?.[0]?.memory;console.log('operator memory: rss '+(m?.rssBytes/1048576).toFixed(1)+' MiB, working set '+(m?.workingSetBytes/1048576).toFixed(1)+' MiB')})" "$op" || true
  k get --raw "/api/v1/namespaces/pushpull-system/pods/$op:8080/proxy/metrics" 2>/dev/null |
    awk '/^pushpull_operator_api_writes_total/ {n+=$2} /^pushpull_operator_api_requests_total/ {r+=$2} END {print "operator API requests: " r ", writes: " n}' || true
fi

echo "e2e ($provider): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
