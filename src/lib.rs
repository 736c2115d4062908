//! till: hosting billing and a customer client area in one binary.
//! See docs/ARCHITECTURE.md for the floors and the direction of arrows.

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod integrations;
pub mod jobs;
pub mod service;
pub mod state;
pub mod store;
pub mod web;
