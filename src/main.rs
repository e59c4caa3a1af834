//! The `tickler` binary: everything lives in the library; this only hands over.
#![warn(clippy::too_many_lines)]

// Reading a diary decodes tens of thousands of small records; mimalloc makes those allocations
// markedly cheaper than the system allocator (see README, performance).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tickler::cli::main()
}
