//! mot: run an NHS Medicines Optimisation Team WhatsApp InfoService from one
//! SQLite file. `main.rs` parses the command line and calls [`run`].
// `deny`, not `forbid`: `platform::windows` must call Windows' C API, and
// `platform::unix` asks for the effective user id (one call std lacks).
#![deny(unsafe_code)]

// The public surface is what the integration tests, the examples and the
// binary use; every other module is the crate's own, so the dead-code lint
// sees an item nobody calls.
pub(crate) mod account;
pub(crate) mod audit;
pub(crate) mod broadcast;
pub mod cli;
pub(crate) mod clock;
pub(crate) mod commands;
pub mod config;
pub mod db;
pub(crate) mod doctor;
pub(crate) mod duration;
pub mod event;
pub mod exit;
pub(crate) mod graph_error;
pub(crate) mod inbound;
pub(crate) mod lapsed;
pub(crate) mod members;
pub(crate) mod net;
pub mod output;
pub(crate) mod pace;
pub(crate) mod phone;
pub mod platform;
pub(crate) mod report;
pub(crate) mod request;
pub(crate) mod retention;
pub mod screen;
pub mod signup;
pub(crate) mod status;
pub(crate) mod templates;
pub mod webhook;
pub(crate) mod whatsapp;

pub use commands::run;
