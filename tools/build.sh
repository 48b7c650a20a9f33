#!/usr/bin/env bash
# Builds the real programs pushpull runs (collectors and the test control plane) from the Go module
# proxy at the versions pinned in tools/versions.env, and caches them by version outside the repo:
#   ${PUSHPULL_TOOLS_DIR:-$HOME/.cache/pushpull/tools}/<tool>-<version>/<binary>
# A cached binary that answers --version is reused, so a fresh clone on the same machine builds nothing.
# Progress is one line per tool built (with how long its last build took); the full go output goes to
# <cache>/logs/<tool>.log, and a failed build prints that path and the log's last lines. The last
# successful build's duration is kept in <cache>/logs/<tool>.seconds.
# Usage: tools/build.sh [collectors|control-plane|real-node|all|<tool>...]   (default: collectors)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
TOOLS_DIR=${PUSHPULL_TOOLS_DIR:-$HOME/.cache/pushpull/tools}
LOG_DIR="$TOOLS_DIR/logs"
TAIL_LINES=15
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
mkdir -p "$TOOLS_DIR" "$LOG_DIR"
BUILT=()
CACHED=()

log() { printf '[tools %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# duration SECONDS: "42 s" or "6 min 12 s".
duration() { if [ "$1" -lt 60 ]; then echo "$1 s"; else echo "$(($1 / 60)) min $(($1 % 60)) s"; fi; }

# have DIR BIN: the binary is cached and runs.
have() { [ -x "$1/$2" ] && "$1/$2" --version >/dev/null 2>&1; }

# cached TOOL VERSION: note a tool reused from the cache (named once, in the final line).
cached() { CACHED+=("$1 $2"); }

# module_dir NAME: a fresh scratch Go module to build one tool in (their dependency pins conflict).
module_dir() {
  local d="$TOOLS_DIR/.build/$1"
  rm -rf "$d" && mkdir -p "$d"
  printf 'module pushpull.local/build/%s\n\ngo 1.26\n' "$1" > "$d/go.mod"
  echo "$d"
}

# publish DIR: atomically publish a tool folder built in DIR.tmp, and drop its scratch module.
publish() { rm -rf "$1" && mv "$1.tmp" "$1"; rm -rf "$TOOLS_DIR/.build/$(basename "$1" | sed 's/-v[0-9].*//')"; }

# step TOOL WHAT OUT BODY [HINT]: runs the function BODY (which builds into OUT.tmp) with all its output
# in $LOG_DIR/TOOL.log, on one progress line; publishes OUT and records the duration on success, prints
# the log's path and tail and exits 1 on failure. HINT is shown when no earlier build was timed.
step() {
  local tool=$1 what=$2 out=$3 body=$4 hint=${5:-} build_log="$LOG_DIR/$1.log" timing="$LOG_DIR/$1.seconds"
  local note="" start=$SECONDS rc=0
  if [ -r "$timing" ]; then note=" (last build took $(duration "$(cat "$timing")"))"
  elif [ -n "$hint" ]; then note=" ($hint)"; fi
  printf '[tools %s] building %s%s ... ' "$(date +%H:%M:%S)" "$what" "$note" >&2
  set +e
  (set -e; "$body") >"$build_log" 2>&1 </dev/null
  rc=$?
  set -e
  local took=$((SECONDS - start))
  if [ "$rc" -ne 0 ]; then
    printf 'FAILED after %s\n' "$(duration "$took")" >&2
    log "$tool: the build failed (exit $rc); the full output is in $build_log, which ends with:"
    tail -n "$TAIL_LINES" "$build_log" | sed 's/^/    /' >&2
    exit 1
  fi
  publish "$out"
  echo "$took" > "$timing"
  printf 'done in %s\n' "$(duration "$took")" >&2
  BUILT+=("$tool")
}

build_prometheus() {
  local out="$TOOLS_DIR/prometheus-$PROMETHEUS_VERSION"
  # Module v0.3XX.Y is Prometheus 3.XX.Y (v0.316.0 is 3.16.0).
  local minor patch; minor=$(echo "$PROMETHEUS_VERSION" | cut -d. -f2); patch=$(echo "$PROMETHEUS_VERSION" | cut -d. -f3)
  local semver="3.$((10#$minor - 300)).$patch"
  if have "$out" prometheus && have "$out" promtool && "$out/prometheus" --version 2>&1 | grep -q "version $semver "; then
    cached prometheus "$PROMETHEUS_VERSION"; return
  fi
  local d; d=$(module_dir prometheus)
  local ld="-s -w -X github.com/prometheus/common/version.Version=$semver -X github.com/prometheus/common/version.Branch=pushpull-build"
  prometheus_body() {
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    cd "$d"
    go get "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_VERSION" "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_VERSION"
    go build -tags netgo,remove_all_sd,enable_kubernetes_sd -ldflags "$ld" -o "$out.tmp/prometheus" github.com/prometheus/prometheus/cmd/prometheus
    go build -tags netgo,remove_all_sd,enable_kubernetes_sd -ldflags "$ld" -o "$out.tmp/promtool" github.com/prometheus/prometheus/cmd/promtool
  }
  step prometheus "prometheus + promtool $PROMETHEUS_VERSION" "$out" prometheus_body "several minutes on 2 cores"
}

# go_install NAME MODULE VERSION BINARY: for modules whose `go install m@v` works.
go_install() {
  local name=$1 mod=$2 ver=$3 bin=$4 out="$TOOLS_DIR/$1-$3"
  if have "$out" "$bin"; then cached "$name" "$ver"; return; fi
  go_install_body() {
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    GOBIN="$out.tmp" go install -ldflags "-s -w -X github.com/prometheus/common/version.Version=${ver#v}" "$mod@$ver"
  }
  step "$name" "$name $ver" "$out" go_install_body
}

build_statsd_exporter() { go_install statsd_exporter github.com/prometheus/statsd_exporter "$STATSD_EXPORTER_VERSION" statsd_exporter; }
# The proxy serves no version list for the Pushgateway, so `go install m@v` fails on its deprecation
# lookup; `go get` of the exact version inside a scratch module works.
build_pushgateway() {
  local out="$TOOLS_DIR/pushgateway-$PUSHGATEWAY_VERSION"
  if have "$out" pushgateway; then cached pushgateway "$PUSHGATEWAY_VERSION"; return; fi
  local d; d=$(module_dir pushgateway)
  pushgateway_body() {
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    cd "$d"
    go get "github.com/prometheus/pushgateway@$PUSHGATEWAY_VERSION"
    go build -ldflags "-s -w -X github.com/prometheus/common/version.Version=${PUSHGATEWAY_VERSION#v}" -o "$out.tmp/pushgateway" github.com/prometheus/pushgateway
  }
  step pushgateway "pushgateway $PUSHGATEWAY_VERSION" "$out" pushgateway_body
}

build_otelcol() {
  local out="$TOOLS_DIR/otelcol-$OTELCOL_CORE_VERSION"
  if have "$out" otelcol; then cached otelcol "$OTELCOL_CORE_VERSION"; return; fi
  local d; d=$(module_dir otelcol)
  otelcol_body() {
    GOBIN="$d/bin" go install "go.opentelemetry.io/collector/cmd/builder@$OTELCOL_BUILDER_VERSION"
    cat > "$d/builder.yaml" <<YAML
dist:
  name: otelcol
  description: pushpull OpenTelemetry Collector (OTLP receiver, Prometheus exporter)
  output_path: $d/dist
  version: ${OTELCOL_CORE_VERSION#v}
receivers:
  - gomod: go.opentelemetry.io/collector/receiver/otlpreceiver $OTELCOL_CORE_VERSION
processors:
  - gomod: go.opentelemetry.io/collector/processor/memorylimiterprocessor $OTELCOL_CORE_VERSION
  - gomod: go.opentelemetry.io/collector/processor/batchprocessor $OTELCOL_CORE_VERSION
exporters:
  - gomod: github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusexporter $OTELCOL_CONTRIB_VERSION
providers:
  - gomod: go.opentelemetry.io/collector/confmap/provider/fileprovider $OTELCOL_CONFMAP_VERSION
  - gomod: go.opentelemetry.io/collector/confmap/provider/envprovider $OTELCOL_CONFMAP_VERSION
YAML
    (cd "$d" && ./bin/builder --config builder.yaml)
    rm -rf "$out.tmp" && mkdir -p "$out.tmp" && cp "$d/dist/otelcol" "$out.tmp/otelcol"
  }
  step otelcol "otelcol $OTELCOL_CORE_VERSION with the collector builder" "$out" otelcol_body
}

build_etcd() {
  local out="$TOOLS_DIR/etcd-$ETCD_VERSION"
  if have "$out" etcd; then cached etcd "$ETCD_VERSION"; return; fi
  local d; d=$(module_dir etcd)
  etcd_body() {
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    cd "$d"
    go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    go build -ldflags "-s -w" -o "$out.tmp/etcd" go.etcd.io/etcd/server/v3
  }
  step etcd "etcd $ETCD_VERSION" "$out" etcd_body
}

build_kwok() { go_install kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION" kwok; }
build_helm() {
  local out="$TOOLS_DIR/helm-$HELM_VERSION"
  if [ -x "$out/helm" ] && "$out/helm" version >/dev/null 2>&1; then cached helm "$HELM_VERSION"; return; fi
  helm_body() {
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    GOBIN="$out.tmp" go install -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  }
  step helm "helm $HELM_VERSION" "$out" helm_body
}

# cmd_package CMD: the library package behind k8s.io/kubernetes/cmd/CMD (kubectl's lives in staging).
cmd_package() { if [ "$1" = kubectl ]; then echo k8s.io/kubectl/pkg/cmd; else echo "k8s.io/kubernetes/cmd/$1/app"; fi; }

# kubernetes_step NAME OUT WHAT HINT CMD...: builds k8s.io/kubernetes/cmd/CMD for each CMD into OUT, in a
# scratch module that pins every staging module k8s.io/kubernetes replaces with ./staging to v0.X.Y.
kubernetes_step() {
  local name=$1 out=$2 what=$3 hint=$4; shift 4
  local cmds=("$@")
  local d; d=$(module_dir "$name")
  local minor; minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
  local patch; patch=$(echo "$KUBERNETES_VERSION" | cut -d. -f3)
  local ld="-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  kubernetes_body() {
    cd "$d"
    go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" >/dev/null
    local kmod; kmod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    {
      printf 'require k8s.io/kubernetes %s\n' "$KUBERNETES_VERSION"
      grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging' "$kmod" | awk '{print $1}' | sort -u |
        while read -r m; do printf 'replace %s => %s v0.%s.%s\n' "$m" "$m" "$minor" "$patch"; done
    } >> go.mod
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    { printf 'package tools\nimport (\n'; for c in "${cmds[@]}"; do printf ' _ "%s"\n' "$(cmd_package "$c")"; done; printf ')\n'; } > tools.go
    go mod tidy
    for c in "${cmds[@]}"; do
      go build -ldflags "$ld" -o "$out.tmp/$c" "k8s.io/kubernetes/cmd/$c"
    done
  }
  step "$name" "$what" "$out" kubernetes_body "$hint"
}

build_kubernetes() {
  local out="$TOOLS_DIR/kubernetes-$KUBERNETES_VERSION"
  if have "$out" kube-apiserver && have "$out" kube-controller-manager && have "$out" kube-scheduler; then
    cached kubernetes "$KUBERNETES_VERSION"; return
  fi
  kubernetes_step kubernetes "$out" "kube-apiserver, kube-controller-manager, kube-scheduler $KUBERNETES_VERSION" \
    "long on 2 cores" kube-apiserver kube-controller-manager kube-scheduler
}

# The real worker node's Kubernetes parts (dev-cluster up --real-node), same version as the control plane.
build_kube_node() {
  local out="$TOOLS_DIR/kube-node-$KUBERNETES_VERSION"
  if have "$out" kubelet && have "$out" kube-proxy && [ -x "$out/kubectl" ]; then
    cached kube-node "$KUBERNETES_VERSION"; return
  fi
  kubernetes_step kube-node "$out" "kubelet, kube-proxy, kubectl $KUBERNETES_VERSION" "" kubelet kube-proxy kubectl
}

# The real node's pod sandbox (our own tools/pause/main.go), static; folder keyed by the source's hash.
build_pause() {
  local sum; sum=$(sha256sum "$here/pause/main.go" | cut -c1-12)
  local out="$TOOLS_DIR/pause-$sum"
  if [ -x "$out/pause" ]; then cached pause "$sum"; return; fi
  pause_body() {
    rm -rf "$out.tmp" && mkdir -p "$out.tmp"
    cd "$here/pause" && GO111MODULE=off go build -ldflags "-s -w" -o "$out.tmp/pause" main.go
  }
  step pause "pause $sum" "$out" pause_body
}

# Cluster DNS for the real node.
build_coredns() { go_install coredns github.com/coredns/coredns "$COREDNS_VERSION" coredns; }

main() {
  local targets=("$@")
  [ ${#targets[@]} -gt 0 ] || targets=(collectors)
  for t in "${targets[@]}"; do
    case "$t" in
      collectors) build_prometheus; build_statsd_exporter; build_pushgateway; build_otelcol ;;
      control-plane) build_etcd; build_kwok; build_helm; build_kubernetes ;;
      real-node) build_pause; build_kube_node; build_coredns ;;
      all) main collectors control-plane ;;
      prometheus|statsd_exporter|pushgateway|otelcol|etcd|kwok|helm|kubernetes|kube_node|coredns|pause) "build_$t" ;;
      *) echo "tools/build.sh: unknown target '$t' (allowed: collectors, control-plane, real-node, all, prometheus, statsd_exporter, pushgateway, otelcol, etcd, kwok, helm, kubernetes, kube_node, coredns, pause)" >&2; exit 2 ;;
    esac
  done
}
main "$@"
if [ ${#CACHED[@]} -gt 0 ]; then
  reused=$(printf '%s, ' "${CACHED[@]}"); reused=${reused%, }
  if [ ${#BUILT[@]} -gt 0 ]; then log "tools ready in $TOOLS_DIR (also cached there: $reused)"
  else log "tools cached in $TOOLS_DIR: $reused"; fi
else
  log "tools ready in $TOOLS_DIR"
fi
