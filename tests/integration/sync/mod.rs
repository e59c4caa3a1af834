//! Sync against a real Radicale on 127.0.0.1 (started and stopped by the tests) and a vdir.
mod diaries;
mod identity;
mod measure;
mod radicale;
mod tools;
mod transport;
mod tui;
