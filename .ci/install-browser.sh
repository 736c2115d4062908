#!/usr/bin/env bash
# Install headless Chromium and its WebDriver for the browser page test
# (tests/api/browser.rs). Idempotent: does nothing when both are present.
# Debian/Ubuntu only; run as root (or through sudo).
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]]; then
    echo "chromium and chromedriver are already installed"
    exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
    SUDO="sudo"
fi

install_browser() {
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
}

# Refresh the package lists first when apt does not know the packages (e.g.
# a container with empty lists); otherwise try the lists it has, and refresh
# and retry once if they are stale.
if ! apt-cache show chromium chromium-driver >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    install_browser
elif ! install_browser; then
    $SUDO apt-get update -qq
    install_browser
fi

"$CHROMIUM" --version
"$CHROMEDRIVER" --version
