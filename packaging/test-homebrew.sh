#!/usr/bin/env bash
# Checks packaging/homebrew/till.rb without Homebrew: Ruby parses it, then
# homebrew/formula_shim.rb runs the formula's own install, post_install,
# service and `test do` blocks against the release build (so the commands
# checked here are the formula's, not a copy). Prints `ok - ...` per check
# and a summary line; exits nonzero on any failure.
#
#   packaging/test-homebrew.sh      (CARGO_TARGET_DIR is honoured)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=packaging/build-env.sh
source packaging/build-env.sh

passed=0
failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }

if ! command -v ruby >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "# installing ruby (apt-get)"
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq ruby >/dev/null 2>&1 ||
            { apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null 2>&1 &&
                DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq ruby >/dev/null 2>&1; } || true
    fi
fi
if ! command -v ruby >/dev/null 2>&1; then
    if [ -n "${CI:-}" ]; then
        echo "not ok - ruby is needed (apt-get install ruby)"
        exit 1
    fi
    echo "# skip: ruby is not installed and cannot be installed here"
    exit 0
fi

if ruby -c packaging/homebrew/till.rb >/dev/null; then
    ok "ruby -c packaging/homebrew/till.rb"
else
    not_ok "ruby -c packaging/homebrew/till.rb"
fi

echo "# building the release binary (cargo build --release --locked)"
cargo build --release --locked --quiet
binary="$CARGO_TARGET_DIR/release/till"
if [ -x "$binary" ]; then ok "release binary $binary"; else not_ok "release binary $binary"; fi

prefix=$(mktemp -d /tmp/till-brew-prefix.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
set +e
out=$(ruby packaging/homebrew/formula_shim.rb packaging/homebrew/till.rb "$prefix" "$binary" 2>&1)
set -e
# The shim's own lines in order; anything else it printed as comments.
echo "$out" | sed -E '/^(ok|not ok) - /!s/^/# /'
passed=$((passed + $(grep -c '^ok - ' <<<"$out" || true)))
failed=$((failed + $(grep -c '^not ok - ' <<<"$out" || true)))
if [ "$(echo "$out" | grep -c '^\(ok\|not ok\) - ' || true)" -lt 8 ]; then
    not_ok "formula_shim.rb ran all its checks"
fi

echo "homebrew: $passed passed, $failed failed"
[ "$failed" = 0 ]
