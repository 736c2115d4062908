//! till's integration tests: the real app on a temporary database and a
//! port-0 listener, driven over HTTP (and, for the CLI, as a process).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod assets;
mod backup;
mod cli;
mod errors;
mod home;
mod openapi;
mod shutdown;
mod status;
