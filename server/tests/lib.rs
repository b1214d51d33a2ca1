//! jauge-server's integration tests: one binary, one module per concern.

// Every allocation of this binary is counted, so that a test can bound what a piece holds.
#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

mod memory;
