//! The integration tests, as one binary: a module per area, the shared rig
//! (`common`) and the mock of the Graph API compiled once. Every test runs
//! the real `mot` binary (or the library) on its own temp directory, so the
//! tests share nothing but this process and run in parallel.
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

#[path = "../../examples/common/aged.rs"]
mod aged;
mod common;
#[path = "../../examples/mock_graph/server.rs"]
mod mock;

mod account;
mod blind_floors;
mod completions;
mod crash;
mod doctor;
mod excel;
mod finding;
mod first_week;
mod lapsed;
mod layers;
mod members;
mod mentions;
mod messaging_limit;
mod output;
mod purge_crash;
mod readable;
mod receiver;
mod request;
mod retention;
mod screen_corpus;
mod screen_floors;
mod send;
mod signup;
mod snapshots;
mod status;
mod templates;
mod webhook;
