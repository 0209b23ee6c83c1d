//! mot: run an NHS Medicines Optimisation Team WhatsApp InfoService from one
//! SQLite file. `main.rs` parses the command line and calls [`run`].
// `deny`, not `forbid`: `platform::windows` alone must call Windows' C API.
#![deny(unsafe_code)]

pub mod account;
pub mod audit;
pub mod broadcast;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod doctor;
pub mod duration;
pub mod event;
pub mod exit;
pub mod graph_error;
pub mod inbound;
pub mod lapsed;
pub mod members;
pub mod net;
pub mod output;
pub mod pace;
pub mod phone;
pub mod platform;
pub mod report;
pub mod request;
pub mod retention;
pub mod screen;
pub mod status;
pub mod templates;
pub mod webhook;
pub mod whatsapp;

pub use commands::run;
