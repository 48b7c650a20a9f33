#!/usr/bin/env bash
# The kind rehearsal of the operator, end to end: create a cluster from kind-config.yaml, build and load
# the image, install the chart, apply every example (scaled down to fit kind), wait for each to succeed,
# check its report ConfigMap, and dump logs and events on failure. Needs Docker and kind: without them
# it says why and exits 0 as a skip (the operator is proven against the dev control plane instead).
# Usage: test-e2e/run.sh [--keep]     (--keep leaves the cluster up for inspection)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cluster=pushpull-e2e
image=pushpull-rig:e2e
namespace=pushpull-e2e
timeout_s=${PUSHPULL_E2E_TIMEOUT:-900}
keep=false
[ "${1:-}" = "--keep" ] && keep=true

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
skip() { log "SKIP: $*"; echo "e2e: 0 passed, 0 failed, 1 skipped"; exit 0; }

command -v docker >/dev/null 2>&1 || skip "docker is not installed; the kind e2e needs a Docker engine"
docker info >/dev/null 2>&1 || skip "docker info failed: no Docker engine reachable"
command -v kind >/dev/null 2>&1 || skip "kind is not installed (go install sigs.k8s.io/kind@v0.33.0)"
command -v kubectl >/dev/null 2>&1 || skip "kubectl is not installed"
helm=${HELM:-$(command -v helm || true)}
if [ -z "$helm" ]; then
  # shellcheck source=../tools/versions.env
  source "$root/tools/versions.env"
  helm="${PUSHPULL_TOOLS_DIR:-$HOME/.cache/pushpull/tools}/helm-$HELM_VERSION/helm"
fi
[ -x "$helm" ] || skip "helm is not available (npm run tools builds it)"

evidence="$root/out/e2e"
mkdir -p "$evidence"
dump() {
  log "collecting evidence in $evidence"
  kubectl get all,ppx,configmaps,events -A -o wide >"$evidence/objects.txt" 2>&1 || true
  kubectl get ppx -A -o yaml >"$evidence/experiments.yaml" 2>&1 || true
  kubectl -n pushpull-system logs deploy/pushpull --tail=-1 >"$evidence/operator.log" 2>&1 || true
  kubectl get events -A --sort-by=.lastTimestamp >"$evidence/events.txt" 2>&1 || true
  for pod in $(kubectl -n "$namespace" get pods -o name 2>/dev/null); do
    kubectl -n "$namespace" logs "$pod" --all-containers --tail=200 >"$evidence/$(basename "$pod").log" 2>&1 || true
  done
}
cleanup() {
  local rc=$?
  [ $rc -ne 0 ] && dump
  if [ "$keep" = false ]; then kind delete cluster --name "$cluster" >/dev/null 2>&1 || true; fi
  exit $rc
}
trap cleanup EXIT

log "creating kind cluster $cluster"
kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
kind create cluster --name "$cluster" --config "$root/kind-config.yaml" --wait 120s
log "building $image"
docker build -t "$image" "$root"
kind load docker-image "$image" --name "$cluster"
for img in quay.io/prometheus/prometheus:v3.16.0 quay.io/prometheus/statsd-exporter:v0.31.0 otel/opentelemetry-collector-contrib:0.165.0; do
  docker pull -q "$img" >/dev/null && kind load docker-image "$img" --name "$cluster" || log "could not preload $img; the nodes will pull it"
done

log "installing the chart"
"$helm" install pushpull "$root/charts/pushpull" --namespace pushpull-system --create-namespace \
  --set image.repository=pushpull-rig --set image.tag=e2e --set image.pullPolicy=Never --wait --timeout 180s
kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply -f -

passed=0
failed=0
names=()
for spec in "$root"/examples/*.yaml; do
  name=$(node -e "const y=require('yaml');const d=y.parse(require('fs').readFileSync(process.argv[1],'utf8'));process.stdout.write(d.metadata.name)" "$spec" 2>/dev/null || basename "$spec" .yaml)
  # Full-scale examples do not fit a two-node kind cluster: cap the fleet and keep the rest.
  node "$here/scale-for-kind.mjs" "$spec" | kubectl -n "$namespace" apply -f -
  names+=("$name")
done

deadline=$((SECONDS + timeout_s))
for name in "${names[@]}"; do
  log "waiting for $name"
  phase=""
  while [ $SECONDS -lt $deadline ]; do
    phase=$(kubectl -n "$namespace" get ppx "$name" -o jsonpath='{.status.phase}' 2>/dev/null || true)
    [ "$phase" = Succeeded ] || [ "$phase" = Failed ] && break
    sleep 5
  done
  if [ "$phase" != Succeeded ]; then
    log "FAIL: $name ended in phase '${phase:-none}'"
    failed=$((failed + 1))
    continue
  fi
  if kubectl -n "$namespace" get configmap "$name-report" -o jsonpath='{.data.report\.json}' | node -e "
      let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);
      if(r.schemaVersion!==1||!r.verdict||!r.verdict.sentence)process.exit(1);console.log(r.verdict.sentence)})"; then
    log "ok: $name"
    passed=$((passed + 1))
  else
    log "FAIL: $name has no readable report in ConfigMap $name-report"
    failed=$((failed + 1))
  fi
done

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
