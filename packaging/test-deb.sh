#!/usr/bin/env bash
# End-to-end check of the Debian package: build it with cargo-deb, inspect
# it, install it, run the packaged service command line as the till user,
# keep data across an upgrade to a newer package, purge it (the database
# stays), and clean up. Needs root and dpkg (a Debian/Ubuntu machine or CI);
# systemd need not be running.
#
#   sudo packaging/test-deb.sh      (CARGO_TARGET_DIR is honoured)
#
# It installs and purges the `till` package on this machine, so it refuses
# to run over a till installation it did not make itself.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=packaging/build-env.sh
source packaging/build-env.sh

passed=0
failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
# check NAME COMMAND...: run COMMAND, record ok/not ok under NAME.
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}
finish() {
    echo "packaging: $passed passed, $failed failed"
    if [ "$failed" = 0 ]; then exit 0; fi
    exit 1
}
# A hard stop: report, count it and end (cleanup runs from the trap).
bail() {
    not_ok "$*"
    finish
}

# --- Guards -----------------------------------------------------------------
skip_or_fail() {
    if [ -n "${CI:-}" ]; then
        echo "not ok - $* (required under CI)"
        echo "packaging: 0 passed, 1 failed"
        exit 1
    fi
    echo "# skip: $* (set CI=1 to make this a failure)"
    exit 0
}
[ "$(id -u)" = 0 ] || skip_or_fail "test-deb.sh needs root to install the package"
for tool in dpkg dpkg-deb setpriv; do
    command -v "$tool" >/dev/null 2>&1 || skip_or_fail "test-deb.sh needs $tool (Debian or Ubuntu)"
done

MARKER=/var/lib/till/.till-packaging-test
CONF=/etc/till/till.toml
UNIT=/usr/lib/systemd/system/till.service
work=$(mktemp -d /tmp/till-deb-test.XXXXXX)
server_pid=""

# Whether dpkg knows till in any state but "not-installed".
package_present() {
    local status
    status=$(dpkg-query -W -f='${db:Status-Status}' till 2>/dev/null || true)
    [ -n "$status" ] && [ "$status" != not-installed ]
}
# Remove everything a run of this script leaves: the package, the data
# directory (this script's own, recognised by its marker), the user.
cleanup_install() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
    if package_present; then
        dpkg --purge till >/dev/null 2>&1 || true
    fi
    if [ -e "$MARKER" ]; then
        rm -rf /var/lib/till
    fi
    if getent passwd till >/dev/null; then userdel till 2>/dev/null || true; fi
    if getent group till >/dev/null; then groupdel till 2>/dev/null || true; fi
    rm -f /etc/systemd/system/multi-user.target.wants/till.service
}
# shellcheck disable=SC2329 # run by the EXIT trap
on_exit() {
    local rc=$?
    cleanup_install
    rm -rf "$work"
    exit "$rc"
}
trap on_exit EXIT

# --- Earlier runs ---------------------------------------------------------------
if package_present || [ -d /var/lib/till ] || [ -d /etc/till ]; then
    if [ ! -e "$MARKER" ]; then
        # Leave the trap nothing to undo: this install is not ours.
        trap - EXIT
        rm -rf "$work"
        echo "not ok - a till installation (package or /var/lib/till) exists that this script did not make; refusing to touch it"
        echo "packaging: 0 passed, 1 failed"
        exit 1
    fi
    echo "# removing what an earlier run of this script left"
fi
cleanup_install

# --- Helpers ------------------------------------------------------------------
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    return 1
}
# http_get PORT PATH [HEADER]: the response body, or nothing.
http_get() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS --max-time 5 ${3:+-H "$3"} "http://127.0.0.1:$1$2" 2>/dev/null || true
    else
        (
            exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
            printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n' "$2" "${3:+$3$'\r\n'}" >&3
            sed '1,/^\r\{0,1\}$/d' <&3
        ) 2>/dev/null || true
    fi
}
as_till() { setpriv --reuid=till --regid=till --init-groups -- "$@"; }
# The unit's ExecStart, run the way systemd would run it (user till, umask
# 0077, working directory /var/lib/till), with TILL_BIND moving it to a free
# port. Sets server_pid and port.
start_service_command() {
    local exec_start
    exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
    [ -n "$exec_start" ] || bail "ExecStart found in $UNIT"
    port=$(free_port) || bail "a free port"
    # shellcheck disable=SC2086 # ExecStart is a plain word list
    (cd /var/lib/till && umask 0077 &&
        exec env TILL_BIND="127.0.0.1:$port" setpriv --reuid=till --regid=till --init-groups -- $exec_start) \
        >>"$work/server.log" 2>&1 &
    server_pid=$!
    local body=""
    for _ in $(seq 1 100); do
        body=$(http_get "$port" /api/v1/status)
        [ -n "$body" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.2
    done
    if [[ $body == *'"status":"ok"'* ]]; then
        ok "$1: \`$exec_start\` as till answers /api/v1/status ok"
    else
        sed 's/^/# server: /' "$work/server.log"
        bail "$1: \`$exec_start\` as till answers /api/v1/status ok (got: $body)"
    fi
}
stop_service_command() {
    kill -TERM "$server_pid"
    local rc=0
    wait "$server_pid" || rc=$?
    server_pid=""
    check "$1: till stops on SIGTERM with status 0 (got $rc)" test "$rc" = 0
}
# shellcheck disable=SC2329 # called through check
stat_is() { [ "$(stat -c "$2" "$1")" = "$3" ]; }

# --- Build --------------------------------------------------------------------
if ! command -v cargo-deb >/dev/null 2>&1; then
    export PATH="$HOME/.cache/till-tools/bin:$PATH"
    if ! command -v cargo-deb >/dev/null 2>&1; then
        echo "# installing cargo-deb into ~/.cache/till-tools"
        cargo install cargo-deb --locked --quiet --root "$HOME/.cache/till-tools"
    fi
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
echo "# building the package (cargo deb; a cold release build takes minutes)"
start=$SECONDS
cargo deb --locked --quiet --fast --output "$work/till-1.deb" >"$work/build.log" 2>&1 ||
    { sed 's/^/# /' "$work/build.log"; bail "cargo deb builds the package"; }
ok "cargo deb builds the package ($((SECONDS - start)) s)"
deb="$work/till-1.deb"

contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/till ./etc/till/till.toml ./usr/lib/systemd/system/till.service \
    ./usr/lib/sysusers.d/till.conf; do
    check "package contains $path" grep -q " $path\$" <<<"$contents"
done
check "conffiles lists /etc/till/till.toml" \
    grep -qx /etc/till/till.toml <<<"$(dpkg-deb -I "$deb" conffiles)"
info=$(dpkg-deb -I "$deb")
for script in postinst prerm postrm; do
    check "package has a $script script" grep -Eq "[0-9]+ lines +\\*? +$script( |\$)" <<<"$info"
done
check "control: Package till, Version $version-1" \
    test "$(dpkg-deb -f "$deb" Package Version | tr '\n' ' ')" = "Package: till Version: $version-1 "

if command -v systemd-analyze >/dev/null 2>&1; then
    dpkg-deb -x "$deb" "$work/root"
    score=$(systemd-analyze security --offline=yes --no-pager \
        "$work/root/usr/lib/systemd/system/till.service" 2>/dev/null |
        sed -n 's/.*Overall exposure level for till.service: \([0-9.]*\).*/\1/p')
    check "systemd-analyze security: exposure ${score:-?} is at most 2.0" \
        awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'
fi

# --- Install ------------------------------------------------------------------
dpkg -i "$deb" >"$work/install.log" 2>&1 ||
    { sed 's/^/# /' "$work/install.log"; bail "dpkg -i installs the package"; }
ok "dpkg -i installs the package"
touch "$MARKER"
check "postinst names the initial-admin-password file" \
    grep -q '/var/lib/till/initial-admin-password' "$work/install.log"

check "system user till exists with home /var/lib/till" \
    test "$(getent passwd till | cut -d: -f6)" = /var/lib/till
check "till is a system user (uid < 1000) with group till" \
    test "$(id -u till)" -lt 1000 -a "$(id -gn till)" = till
check "$CONF is 640 root:till" stat_is "$CONF" '%a %U:%G' '640 root:till'
check "/var/lib/till is 750 till:till" stat_is /var/lib/till '%a %U:%G' '750 till:till'
check "the database exists, 600 till:till" stat_is /var/lib/till/till.db '%a %U:%G' '600 till:till'
check "the master key exists beside it, 600 till:till" \
    stat_is /var/lib/till/master.key '%a %U:%G' '600 till:till'
pwfile=/var/lib/till/initial-admin-password
check "$pwfile is 600 root:root" stat_is "$pwfile" '%a %U:%G' '600 root:root'
check "$pwfile holds admin@localhost and a password" \
    grep -Eq '^password: [A-Za-z0-9]{16,}$' "$pwfile"
check "the service is enabled (multi-user.target.wants)" \
    test -L /etc/systemd/system/multi-user.target.wants/till.service
if command -v systemd-analyze >/dev/null 2>&1; then
    check "systemd-analyze verify accepts the installed unit" \
        systemd-analyze verify "$UNIT"
fi

# --- Run ----------------------------------------------------------------------
start_service_command "install"
stop_service_command "install"

out=$(as_till till api-key create --name survive --scope audit:read --config "$CONF" 2>/dev/null) ||
    bail "till api-key create (as till) works on the packaged install"
key=$(tail -n1 <<<"$out")
check "the API key belongs to the first admin, admin@localhost" \
    grep -q 'for admin@localhost' <<<"$out"
check "no file in /var/lib/till belongs to root except the password file" \
    test -z "$(find /var/lib/till -user root ! -path "$pwfile" ! -path "$MARKER" ! -path /var/lib/till)"

# --- Upgrade ------------------------------------------------------------------
new_version="$version+upgrade1-1"
cargo deb --locked --quiet --fast --deb-version "$new_version" --output "$work/till-2.deb" \
    >"$work/build.log" 2>&1 || { sed 's/^/# /' "$work/build.log"; bail "cargo deb builds $new_version"; }
check "$new_version sorts after $version-1" dpkg --compare-versions "$new_version" gt "$version-1"
echo '# an admin edit that the upgrade must keep' >>"$CONF"
dpkg -i "$work/till-2.deb" >"$work/upgrade.log" 2>&1 ||
    { sed 's/^/# /' "$work/upgrade.log"; bail "dpkg -i upgrades to $new_version"; }
check "dpkg -i upgrades to $new_version" \
    test "$(dpkg-query -W -f='${Version}' till)" = "$new_version"
check "the upgrade keeps the edited $CONF" grep -q 'an admin edit' "$CONF"
check "$CONF is still 640 root:till" stat_is "$CONF" '%a %U:%G' '640 root:till'
check "the upgrade does not make a new admin password" \
    test "$(grep -c initial-admin-password "$work/upgrade.log")" = 0

start_service_command "upgrade"
check "after the upgrade the API key still works against the server" \
    grep -q 'api_key.created' <<<"$(http_get "$port" /api/v1/audit-log "Authorization: Bearer $key")"
stop_service_command "upgrade"
check "till api-key list still shows the key created before the upgrade" \
    grep -q ' survive ' <<<"$(as_till till api-key list --config "$CONF" 2>/dev/null)"

# --- Purge --------------------------------------------------------------------
dpkg --purge till >"$work/purge.log" 2>&1 ||
    { sed 's/^/# /' "$work/purge.log"; bail "dpkg --purge till"; }
ok "dpkg --purge till"
check "purge removes $CONF" test ! -e "$CONF"
check "purge removes /usr/bin/till" test ! -e /usr/bin/till
check "purge keeps /var/lib/till/till.db" test -s /var/lib/till/till.db
check "purge keeps /var/lib/till/master.key" test -s /var/lib/till/master.key
check "purge says the data was kept" grep -q 'kept' "$work/purge.log"

finish
