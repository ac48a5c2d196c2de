#!/usr/bin/env bash
# The real-tool suite. Its test files share one BuildKit daemon root (jest runs
# them in band), so the builder stage's layers are computed once per run.
#
# The root is kept between runs in the tool cache ($PRD_TOOLS/buildkit-root),
# like the tools themselves: a run with the cache kept reuses the layers of the
# last (builder tools, target libraries, cooks), and the checks of cold builds
# start daemons of their own. PRD_FRESH_ROOT=1 uses an empty root, removed
# afterwards (a cold run); so does a run while another holds the kept root.
# A kept root over PRD_ROOT_LIMIT_GB (default 40) is removed after the run,
# and before it when the disk has under PRD_MIN_FREE_GB (default 25) free: a
# cold run of the suite writes about 20 GB (daemon roots, a registry, archives),
# and a full disk fails builds with errors that do not say so.
# Extra arguments go to jest.
set -uo pipefail
JEST_ARGS=(--passWithNoTests=false --runInBand --coverage=false --verbose --testMatch '<rootDir>/test/integration/**/*.test.ts')
# The files that use none of .ci/install-tools' tools (only the machine's Node,
# npm, git, curl, Cargo and Python): the README's commands and the Python package.
EARLY=(test/integration/readme.test.ts test/integration/python.test.ts)
ignore=(--testPathIgnorePatterns /node_modules/)
early=0
# PRD_TOOLS_WAIT=<log>: .ci/install-tools runs beside the unit tests (.ci/run),
# writing its log there and its exit status to <log>.status when it ends. A
# whole-suite run first runs EARLY while the tools still compile (their Node
# and npm work leaves a core free), then waits for the tools, shows the log's
# steps, and stops if they failed.
if [ -n "${PRD_TOOLS_WAIT:-}" ] && [ $# -eq 0 ]; then
  echo "== while the tools compile: ${EARLY[*]}"
  jest "${JEST_ARGS[@]}" "${ignore[@]}" -- "${EARLY[@]}" || early=$?
  for f in "${EARLY[@]}"; do ignore+=(--testPathIgnorePatterns "$f"); done
fi
if [ -n "${PRD_TOOLS_WAIT:-}" ]; then
  log=$PRD_TOOLS_WAIT waited=$SECONDS
  while [ ! -s "$log.status" ]; do sleep 2; done
  grep '^== \|^error' "$log" || true
  echo "== waited $((SECONDS - waited)) s for .ci/install-tools"
  if [ "$(cat "$log.status")" != 0 ]; then
    echo "error: .ci/install-tools failed ($(cat "$log.status")); the end of its log:" >&2
    tail -40 "$log" >&2
    exit 1
  fi
fi
tools="${PRD_TOOLS:-$HOME/.cache/projen-rust-docker/tools}"
kept="$tools/buildkit-root"
free_gb() { df -Pk "$1" | awk 'NR==2 {print int($4 / 1024 / 1024)}'; }
mkdir -p "$tools"
fresh=1
if [ "${PRD_FRESH_ROOT:-0}" != 1 ]; then
  mkdir -p "$kept"
  exec 9>"$kept.lock"
  if flock -n 9; then fresh=0; else echo "== the kept BuildKit root is in use by another run: this run uses an empty one" >&2; fi
  if [ "$fresh" = 0 ] && [ "$(free_gb "$tools")" -lt "${PRD_MIN_FREE_GB:-25}" ]; then
    echo "== $(free_gb "$tools") GB free beside the kept BuildKit root, under ${PRD_MIN_FREE_GB:-25} GB: the root is removed, and this run starts cold" >&2
    rm -rf "$kept" && mkdir -p "$kept"
  fi
fi
if [ "$fresh" = 1 ]; then root=$(mktemp -d); else root=$kept; fi
echo "== BuildKit root: $root ($([ "$fresh" = 1 ] && echo empty, removed afterwards || echo kept between runs)); free: $(free_gb "$root") GB there, $(free_gb "${TMPDIR:-/tmp}") GB in ${TMPDIR:-/tmp}"
# --verbose: each check's name and duration, so a slow CI run says where its time went.
PRD_BUILDKIT_ROOT=$root jest "$@" "${JEST_ARGS[@]}" "${ignore[@]}"
status=$?
[ "$status" != 0 ] || status=$early
echo "== after the suite: $(free_gb "$root") GB free beside the BuildKit root ($(du -sh "$root" | cut -f1) in it)"
if [ "$fresh" = 1 ]; then
  rm -rf "$root"
elif [ "$(du -sk "$root" | cut -f1)" -gt $(( ${PRD_ROOT_LIMIT_GB:-40} * 1024 * 1024 )) ]; then
  echo "== the kept BuildKit root is over ${PRD_ROOT_LIMIT_GB:-40} GB: removed" >&2
  rm -rf "$root"
fi
exit $status
