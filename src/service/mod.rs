//! Use-cases, one file per area. The API, the pages, the jobs and the CLI
//! all call these functions; rules live here and in `domain/`.

pub mod audit;
pub mod bootstrap;
