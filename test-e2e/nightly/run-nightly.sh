# shellcheck shell=bash
# PUSHPULL_E2E_SCHEDULE=1 of test-e2e/run.sh (sourced by it; uses its k, log, node, pushpull, $namespace,
# $evidence, $work): a real regression between two real runs. The schedule (schedule.yaml, every minute)
# creates a first run; as soon as it exists the template is made worse on purpose (statsd_exporter's
# receive buffer 208 KiB → 4 KiB), so the next tick's run drops datagrams in the kernel. Checked: the
# second run is Regressed against the first with the StatsD loss ratio named, the Regressed Event, the
# comparison in the second run's own report (ConfigMap and `pushpull report`), historyLimit 1 (the first
# run deleted, its report kept), `pushpull history` exits 1, and `kubectl get pps` / `ppx` show the
# columns (the second run's loss rose by more than 1 pp, so its `statsd.lossRatio <= 0.001` cannot pass;
# the first run's Passed is whatever it measured). Every wait is bounded; prints "ok: ..." lines and returns non-zero on the first failure.

nightly_fail() { log "FAIL: nightly: $*"; return 1; }

# nightly_wait SECONDS WHAT COMMAND...: runs COMMAND every 2 s until it prints something; echoes that.
nightly_wait() {
  local limit=$1 what=$2 out=""
  shift 2
  local end=$((SECONDS + limit))
  while [ $SECONDS -lt "$end" ]; do
    out=$("$@" 2>/dev/null || true)
    [ -n "$out" ] && { printf '%s' "$out"; return 0; }
    sleep 2
  done
  log "nightly: no $what within ${limit}s"
  return 1
}

nightly_runs() {
  k -n "$namespace" get ppx -l pushpull.dev/schedule=nightly-e2e \
    -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort
}
nightly_phase() { k -n "$namespace" get ppx "$1" -o jsonpath='{.status.phase}'; }
nightly_finished() {
  local p
  p=$(nightly_phase "$1")
  { [ "$p" = Succeeded ] || [ "$p" = Failed ]; } && echo "$p"
}
nightly_gone() { k -n "$namespace" get ppx "$1" >/dev/null 2>&1 || echo gone; }
nightly_second() { nightly_runs | grep -vx "$1" | head -1; }
# The schedule's comparison once it is about run $1: "True|False message".
nightly_compared() {
  local newest
  newest=$(k -n "$namespace" get pps nightly-e2e -o jsonpath='{.status.comparison.newest}')
  [ "$newest" = "$1" ] &&
    k -n "$namespace" get pps nightly-e2e \
      -o jsonpath='{.status.conditions[?(@.type=="Regressed")].status} {.status.conditions[?(@.type=="Regressed")].message}'
}

nightly_e2e() {
  local here_n first second phase cond
  here_n=$(dirname "${BASH_SOURCE[0]}")
  k -n "$namespace" apply -f "$here_n/schedule.yaml" >/dev/null
  log "nightly: schedule nightly-e2e applied (every minute)"
  first=$(nightly_wait 90 "first run" nightly_runs | head -1) || nightly_fail "the schedule created no run" || return 1
  # Worse on purpose, for every later tick: the first run keeps the template it was created from.
  k -n "$namespace" patch pps nightly-e2e --type merge \
    -p '{"spec":{"template":{"spec":{"arms":{"statsd":{"receiveBufferBytes":4096}}}}}}' >/dev/null
  local buf1
  buf1=$(k -n "$namespace" get ppx "$first" -o jsonpath='{.spec.arms.statsd.receiveBufferBytes}')
  log "nightly: first run $first (receive buffer $buf1 B); template now 4096 B"
  [ "$buf1" != 4096 ] || nightly_fail "$first was created with the worse template" || return 1

  phase=$(nightly_wait 240 "end of $first" nightly_finished "$first") || nightly_fail "$first did not finish" || return 1
  [ "$phase" = Succeeded ] || nightly_fail "$first ended $phase" || return 1
  log "nightly: $first $phase: $(k -n "$namespace" get ppx "$first" --no-headers)"
  second=$(nightly_wait 150 "second run" nightly_second "$first") || nightly_fail "no second run" || return 1
  local buf2
  buf2=$(k -n "$namespace" get ppx "$second" -o jsonpath='{.spec.arms.statsd.receiveBufferBytes}')
  [ "$buf2" = 4096 ] || nightly_fail "$second has receive buffer '$buf2', not the worse 4096" || return 1
  log "nightly: second run $second (receive buffer $buf2 B)"
  # Captured while it exists: historyLimit 1 deletes the first run once the second finishes. Its Passed
  # is what it measured (a loaded machine may drop a little even with the default buffer).
  k -n "$namespace" get ppx >"$evidence/nightly-get-ppx-before.txt" 2>&1
  local passed1
  passed1=$(k -n "$namespace" get ppx "$first" -o jsonpath='{.status.conditions[?(@.type=="Passed")].status}')
  phase=$(nightly_wait 240 "end of $second" nightly_finished "$second") || nightly_fail "$second did not finish" || return 1
  [ "$phase" = Succeeded ] || nightly_fail "$second ended $phase" || return 1
  cond=$(nightly_wait 60 "comparison of $second" nightly_compared "$second") || nightly_fail "$second was never compared" || return 1
  log "nightly: Regressed=${cond}"
  [[ "$cond" == "True $second against $first: "*"StatsD loss ratio rose by "* ]] ||
    nightly_fail "Regressed is not True naming the StatsD loss ratio: $cond" || return 1
  log "ok: $second is Regressed against $first, naming the StatsD loss ratio"

  k -n "$namespace" get events --field-selector involvedObject.kind=PushPullSchedule,involvedObject.name=nightly-e2e \
    -o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message --no-headers >"$evidence/nightly-events.txt" 2>&1
  grep -E "^Warning +Regressed +$second against $first: .*StatsD loss ratio rose" "$evidence/nightly-events.txt" >&2 ||
    nightly_fail "no Regressed Warning Event (see $evidence/nightly-events.txt)" || return 1
  log "ok: the Regressed Warning Event names $second and the StatsD loss ratio"

  k -n "$namespace" get configmap "$second-report" -o jsonpath='{.data.report\.json}' >"$evidence/nightly-$second-report.json"
  "$node" -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const [c] = r.comparisons ?? [];
    const fail = (m) => { console.error("FAIL: nightly: report: " + m); process.exit(1); };
    if (!c) fail("no comparisons in the report");
    if (c.against.kind !== "previous" || c.against.name !== process.argv[2]) fail("compared with " + JSON.stringify(c.against));
    const row = c.rows.find((x) => x.key === "statsd.lossRatio");
    if (!row || !row.regressed || row.threshold === null) fail("statsd.lossRatio row: " + JSON.stringify(row));
    const drops = c.rows.find((x) => x.key === "statsd.books.kernelDrops");
    console.log(`report comparison: ${row.label} ${row.a} → ${row.b} (${row.change}; threshold: ${row.threshold}), kernel drops ${drops?.a} → ${drops?.b}; ${c.breaches.length} breach(es)`);
  ' "$evidence/nightly-$second-report.json" "$first" || return 1
  pushpull report "$second" --namespace "$namespace" --kubeconfig "$KUBECONFIG" --format md >"$evidence/nightly-$second-report.md"
  grep -q "^\*\*Regressed against the run before it, $first " "$evidence/nightly-$second-report.md" ||
    nightly_fail "pushpull report $second shows no comparison (see $evidence/nightly-$second-report.md)" || return 1
  grep -E '^\| StatsD loss ratio \|.*\*\*REGRESSED\*\*' "$evidence/nightly-$second-report.md" >&2 ||
    nightly_fail "pushpull report $second: no REGRESSED loss-ratio row" || return 1
  log "ok: $second's own report carries the comparison (ConfigMap and pushpull report)"

  # historyLimit 1: the first run is deleted, its report kept and owned by the schedule.
  nightly_wait 60 "deletion of $first" nightly_gone "$first" >/dev/null ||
    nightly_fail "$first was not deleted (historyLimit 1)" || return 1
  [ "$(k -n "$namespace" get configmap "$first-report" -o jsonpath='{.metadata.ownerReferences[0].kind}')" = PushPullSchedule ] ||
    nightly_fail "the report of $first was not kept by the schedule" || return 1
  log "ok: historyLimit 1: $first deleted, $first-report kept by the schedule"

  local hist_rc=0
  pushpull history nightly-e2e --namespace "$namespace" --kubeconfig "$KUBECONFIG" >"$evidence/nightly-history.txt" 2>&1 || hist_rc=$?
  cat "$evidence/nightly-history.txt" >&2
  [ "$hist_rc" = 1 ] || nightly_fail "pushpull history exited $hist_rc, not 1 (the newest regressed)" || return 1
  log "ok: pushpull history nightly-e2e exits 1"

  k -n "$namespace" get pps >"$evidence/nightly-get-pps.txt" 2>&1
  k -n "$namespace" get ppx >"$evidence/nightly-get-ppx.txt" 2>&1
  cat "$evidence/nightly-get-pps.txt" "$evidence/nightly-get-ppx-before.txt" "$evidence/nightly-get-ppx.txt" >&2
  grep -Eq '^NAME +SCHEDULE +SUSPEND +LAST RUN +LAST VERDICT +LAST RESULT +REGRESSED +AGE$' "$evidence/nightly-get-pps.txt" &&
    grep -Eq "^nightly-e2e +\* \* \* \* \* +false +[0-9]+[smh]\S* +\S+ +NotPassed +True +" "$evidence/nightly-get-pps.txt" ||
    nightly_fail "kubectl get pps does not show the columns (see $evidence/nightly-get-pps.txt)" || return 1
  grep -Eq '^NAME +PHASE +ARMS +PASSED +VERDICT +AGE$' "$evidence/nightly-get-ppx.txt" &&
    grep -Eq "^$second +Succeeded +statsd\\S* +False +" "$evidence/nightly-get-ppx.txt" &&
    grep -Eq "^$first +Succeeded +statsd\\S* +$passed1 +" "$evidence/nightly-get-ppx-before.txt" ||
    nightly_fail "kubectl get ppx does not show Passed $passed1 then False (see $evidence/nightly-get-ppx*.txt)" || return 1
  log "ok: kubectl get pps / ppx show the columns (Regressed True; Passed $passed1 for $first, False for $second)"
  return 0
}
