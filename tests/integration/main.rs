//! Integration tests: one binary (compiled once) with a module per subject.
mod campaigns;
mod capture;
mod cli;
#[path = "../common/mod.rs"]
mod common;
mod demo;
mod e2e;
mod e2e_flows;
mod fixtures;
mod interop;
mod interop_roundtrip;
mod loop_ui;
mod pieces;
mod planner_props;
mod rules;
mod shell;
mod store;
mod sync;
mod ui;
mod ui_snapshots;
