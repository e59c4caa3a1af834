//! Integration tests: one binary.
mod cli;
mod store;
mod planner_props;
mod demo;
mod interop;
mod ui;
mod e2e;
