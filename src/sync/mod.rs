//! Two-way sync of the diary with a CalDAV/CardDAV account or a local vdir.
//!
//! Owns: the transport (`transport`: libdav over a current-thread tokio runtime kept in here, or a
//! vdir directory, behind one blocking [`transport::Transport`] trait), the mapping between the
//! diary and standard items (`mapping`: follow-ups as VTODO, history as VJOURNAL, contacts as vCard
//! through the vCard writer of `interop`), and the per-field three-way merge (`merge`, pure).
//!
//! Must not touch: redb (the store keeps the sync state), the terminal, or any rule of an action:
//! changes that come from the server are applied through `crate::actions` only, so every rule of the
//! diary stays in one place. Passwords are never stored, logged or put in an error.

pub mod account;
pub mod diary;
pub mod engine;
pub mod mapping;
pub mod merge;
pub mod plan;
pub mod transport;

#[cfg(test)]
mod engine_tests;
