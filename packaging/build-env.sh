# shellcheck shell=bash
# Sourced by packaging/test-deb.sh and packaging/test-homebrew.sh: where the
# release build goes, so both scripts (and .ci/run) share one build.
#
# CARGO_TARGET_DIR is honoured (.ci/run sets it); without it, ./target.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# The tests build with the shipped [profile.release] (fat LTO, one codegen
# unit), so they test the binary users get. Measured on 2 cores (with other
# builds running): a cold `cargo deb` took 12.5 min; with
# CARGO_PROFILE_RELEASE_LTO=thin and CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 it
# took 11.8 min cold (the dependencies dominate) and a rebuild after a source
# change got slower (5 min against under 3), so no override is used. With the
# target directory kept between CI runs (.ci/run does), only the till crate
# is rebuilt: about 3 minutes.
