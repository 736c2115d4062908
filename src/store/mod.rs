//! All SQL lives here: plain synchronous functions over a `&Connection`
//! (a `&Transaction` derefs to one), one file per table group.

pub mod audit;
pub mod settings;
pub mod staff;
