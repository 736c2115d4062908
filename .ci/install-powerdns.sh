#!/usr/bin/env bash
# Install PowerDNS Authoritative with its SQLite backend, and dig, for the
# DNS tests (tests/api/dns_zones.rs), which start their own pdns_server on
# loopback. Idempotent: does nothing when all are present. The package's
# own service is kept from starting (policy-rc.d) and stopped if it did.
# Debian/Ubuntu only; run as root (or through sudo).
set -euo pipefail

PDNS=/usr/sbin/pdns_server
SCHEMA=/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
DIG=/usr/bin/dig

if [[ -x "$PDNS" && -f "$SCHEMA" && -x "$DIG" ]]; then
    echo "pdns-server, pdns-backend-sqlite3 and dig are already installed"
    exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
    SUDO="sudo"
fi

install_pdns() {
    local restore=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod 755 /usr/sbin/policy-rc.d
        restore=1
    fi
    local rc=0
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        pdns-server pdns-backend-sqlite3 dnsutils || rc=$?
    if [[ -n "$restore" ]]; then
        $SUDO rm -f /usr/sbin/policy-rc.d
    fi
    return $rc
}

if ! apt-cache show pdns-server pdns-backend-sqlite3 dnsutils >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    install_pdns
elif ! install_pdns; then
    $SUDO apt-get update -qq
    install_pdns
fi

# The tests run their own instance; one the package started is not wanted.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet pdns 2>/dev/null; then
    $SUDO systemctl disable --now pdns || true
fi

"$PDNS" --version 2>&1 | head -n 1 || true
test -f "$SCHEMA"
"$DIG" -v 2>&1 | head -n 1
