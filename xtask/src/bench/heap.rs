//! What the process holds on the heap, as opposed to what the allocator keeps
//! resident: the bytes allocated and not yet freed, counted by the global
//! allocator, and their peak.
//!
//! Why both: `VmHWM` also counts memory the allocator keeps after it was
//! freed. glibc's malloc keeps an arena per thread that allocates, and raises
//! its threshold for handing large blocks straight back to the system each
//! time such a block is freed (the "dynamic mmap threshold"). So the same
//! build's peak resident set over a long listing at page size 10,000 ranged
//! 63–111 MB in twelve runs, and its growth past the mark 1.00–1.67, while the
//! heap peak stayed within 52.5–53.4 MB. The heap figure is what the SDK holds; the
//! resident one is what a user's process will show (docs/performance.md,
//! "Memory").
//!
//! Counting is off unless [`start`] switches it on (the `__rss` child only):
//! the timed benchmarks run in this binary too, and pay one relaxed load per
//! allocation.

// The one place in the workspace with `unsafe`: a global allocator cannot be
// written without it (xtask/Cargo.toml says why the lint allows it here).
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

/// The system allocator, counting live bytes once [`start`] was called.
pub(crate) struct Counting;

static ON: AtomicBool = AtomicBool::new(false);
/// Bytes allocated since [`start`] and not freed (negative if blocks from
/// before were freed since).
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// Counts from now on.
pub(crate) fn start() {
    ON.store(true, Relaxed);
}

/// The most bytes held at once since [`start`], in KiB.
pub(crate) fn peak_kb() -> u64 {
    u64::try_from(PEAK.load(Relaxed)).unwrap_or(0) / 1024
}

fn grew(bytes: usize) {
    let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
    let now = LIVE.fetch_add(bytes, Relaxed).saturating_add(bytes);
    PEAK.fetch_max(now, Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(isize::try_from(bytes).unwrap_or(isize::MAX), Relaxed);
}

// SAFETY: every call is passed to `System` unchanged; the counters are a
// side effect that allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc`, passed on.
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() && ON.load(Relaxed) {
            grew(layout.size());
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc_zeroed`, passed on.
        let block = unsafe { System.alloc_zeroed(layout) };
        if !block.is_null() && ON.load(Relaxed) {
            grew(layout.size());
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc`, passed on.
        unsafe { System.dealloc(block, layout) };
        if ON.load(Relaxed) {
            shrank(layout.size());
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc`, passed on.
        let moved = unsafe { System.realloc(block, layout, new_size) };
        if !moved.is_null() && ON.load(Relaxed) {
            // The change only: whether the allocator copies (and holds both
            // blocks for a moment) is its own affair, like the memory it keeps.
            match new_size.checked_sub(layout.size()) {
                Some(more) => grew(more),
                None => shrank(layout.size() - new_size),
            }
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_held_counts_until_it_is_freed_and_the_peak_keeps_it() {
        const SIZE: isize = 64 << 20;
        // Other tests allocate and free meanwhile: allow them 16 MiB.
        const SLACK: isize = 16 << 20;
        start();
        let before = LIVE.load(Relaxed);
        let block = std::hint::black_box(vec![1u8; SIZE as usize]);
        let held = LIVE.load(Relaxed) - before;
        drop(block);
        let after = LIVE.load(Relaxed) - before;
        assert!((SIZE - SLACK..SIZE + SLACK).contains(&held), "{held}");
        assert!(after.abs() < SLACK, "{after}");
        assert!(PEAK.load(Relaxed) >= before + SIZE - SLACK);
    }
}
