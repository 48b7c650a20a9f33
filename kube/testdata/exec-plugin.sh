#!/bin/sh
# A real exec credential plugin for kube/exec-plugin.itest.ts. Its one argument is a directory:
# every run appends a line to DIR/runs, keeps what it was given (KUBERNETES_EXEC_INFO in DIR/info.json,
# $EXEC_TEST_GREETING from the kubeconfig's exec.env in DIR/greeting), and prints the ExecCredential
# DIR/credential-N.json for run N if that file exists, else DIR/credential.json.
set -eu
dir="$1"
echo run >> "$dir/runs"
n=$(wc -l < "$dir/runs" | tr -d ' ')
printf '%s' "${KUBERNETES_EXEC_INFO:-}" > "$dir/info.json"
printf '%s' "${EXEC_TEST_GREETING:-}" > "$dir/greeting"
if [ -f "$dir/fail" ]; then
  echo "fixture plugin: asked to fail" >&2
  exit 7
fi
if [ -f "$dir/credential-$n.json" ]; then
  cat "$dir/credential-$n.json"
else
  cat "$dir/credential.json"
fi
