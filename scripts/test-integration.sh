#!/usr/bin/env bash
# The real-tool suite. Its test files share one BuildKit daemon root (jest runs
# them in band), so the builder stage's layers are computed once per run.
#
# The root is kept between runs in the tool cache ($PRD_TOOLS/buildkit-root),
# like the tools themselves: a run with the cache kept reuses the layers of the
# last (builder tools, target libraries, cooks), and the checks of cold builds
# start daemons of their own. PRD_FRESH_ROOT=1 uses an empty root, removed
# afterwards (a cold run); so does a run while another holds the kept root.
# A kept root over PRD_ROOT_LIMIT_GB (default 40) is removed after the run.
# Extra arguments go to jest.
set -uo pipefail
tools="${PRD_TOOLS:-$HOME/.cache/projen-rust-docker/tools}"
kept="$tools/buildkit-root"
fresh=1
if [ "${PRD_FRESH_ROOT:-0}" != 1 ]; then
  mkdir -p "$kept"
  exec 9>"$kept.lock"
  if flock -n 9; then fresh=0; else echo "== the kept BuildKit root is in use by another run: this run uses an empty one" >&2; fi
fi
if [ "$fresh" = 1 ]; then root=$(mktemp -d); else root=$kept; fi
echo "== BuildKit root: $root ($([ "$fresh" = 1 ] && echo empty, removed afterwards || echo kept between runs))"
PRD_BUILDKIT_ROOT=$root jest "$@" --passWithNoTests=false --runInBand --coverage=false \
  --testMatch '<rootDir>/test/integration/**/*.test.ts' --testPathIgnorePatterns /node_modules/
status=$?
if [ "$fresh" = 1 ]; then
  rm -rf "$root"
elif [ "$(du -sk "$root" | cut -f1)" -gt $(( ${PRD_ROOT_LIMIT_GB:-40} * 1024 * 1024 )) ]; then
  echo "== the kept BuildKit root is over ${PRD_ROOT_LIMIT_GB:-40} GB: removed" >&2
  rm -rf "$root"
fi
exit $status
