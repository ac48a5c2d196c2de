#!/usr/bin/env bash
# The real-tool suite. Its test files share one BuildKit daemon root (jest runs
# them in band), so the builder stage's layers are computed once per run; the
# root is fresh each time and removed afterwards. Extra arguments go to jest.
set -uo pipefail
root=$(mktemp -d)
PRD_BUILDKIT_ROOT=$root jest "$@" --passWithNoTests=false --runInBand --coverage=false \
  --testMatch '<rootDir>/test/integration/**/*.test.ts' --testPathIgnorePatterns /node_modules/
status=$?
rm -rf "$root"
exit $status
