#!/usr/bin/env bash
# Install Debian's dovecot-imapd for the IMAP mail-in tests
# (tests/api/support_mail_imap.rs), which start their own dovecot on a
# loopback port with a config of their own. Idempotent: does nothing when
# it is present. The package's own service is kept from starting
# (policy-rc.d) and stopped if it did. Debian/Ubuntu only; run as root
# (or through sudo).
set -euo pipefail

DOVECOT=/usr/sbin/dovecot
IMAP=/usr/lib/dovecot/imap

if [[ -x "$DOVECOT" && -x "$IMAP" ]]; then
    echo "dovecot-imapd is already installed"
    exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
    SUDO="sudo"
fi

install_dovecot() {
    local restore=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod 755 /usr/sbin/policy-rc.d
        restore=1
    fi
    local rc=0
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd || rc=$?
    if [[ -n "$restore" ]]; then
        $SUDO rm -f /usr/sbin/policy-rc.d
    fi
    return $rc
}

if ! apt-cache show dovecot-imapd >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    install_dovecot
elif ! install_dovecot; then
    $SUDO apt-get update -qq
    install_dovecot
fi

# The tests run their own instance; one the package started is not wanted.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet dovecot 2>/dev/null; then
    $SUDO systemctl disable --now dovecot || true
fi

"$DOVECOT" --version
test -x "$IMAP"
