//! The wasm build's memory allocator: free lists by power-of-two size class over pages taken
//! with `memory.grow`.
//!
//! Why not the default (dlmalloc): it is ~7 KB of code, ~3 KB gzip of a 40 KB budget, for
//! coalescing and trimming this workload does not need. An engine makes the same kinds of
//! allocation again and again (events, decisions, JSON text), so a freed block is soon reused by
//! one of its class. The cost: a block is rounded up to a power of two, and memory, once taken,
//! stays with the page (as with dlmalloc, which never shrinks wasm memory either).
//!
//! wasm is single-threaded here (no atomics target feature), so the state needs no lock.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr::null_mut;

const PAGE: usize = 65_536;
/// Class `k` holds blocks of `2^k` bytes; the smallest is 8 bytes (room for the free-list link).
const CLASSES: usize = usize::BITS as usize;

struct State {
    /// The head of each class's free list; a free block's first word links to the next one.
    free: [*mut u8; CLASSES],
    /// The bump region: `next..end` is taken from the host and not yet handed out.
    next: usize,
    end: usize,
}

/// See the module docs.
pub struct PowerOfTwoAlloc(UnsafeCell<State>);

// SAFETY: the wasm32 target this is compiled for has one thread.
unsafe impl Sync for PowerOfTwoAlloc {}

impl PowerOfTwoAlloc {
    /// An allocator with nothing taken yet.
    pub const fn new() -> Self {
        PowerOfTwoAlloc(UnsafeCell::new(State { free: [null_mut(); CLASSES], next: 0, end: 0 }))
    }
}

impl Default for PowerOfTwoAlloc {
    fn default() -> Self {
        Self::new()
    }
}

/// The size class of a layout: the smallest `k >= 3` with `2^k >= max(size, align)`.
fn class(layout: Layout) -> usize {
    let size = layout.size().max(layout.align()).max(8);
    (usize::BITS - (size - 1).leading_zeros()) as usize
}

/// Where a new block of class `k` starts: aligned to its own size up to 16 bytes, or to a larger
/// requested alignment.
fn block_align(k: usize, align: usize) -> usize {
    (1usize << k.min(4)).max(align)
}

// SAFETY: every block handed out is `2^class` bytes, aligned as `block_align` says (a block
// reused from a free list was cut with at least `min(2^k, 16)` alignment, and only requests with
// alignment up to 16 reuse blocks), and belongs to nobody else until it is freed.
unsafe impl GlobalAlloc for PowerOfTwoAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let s = &mut *self.0.get();
        let k = class(layout);
        if k >= CLASSES {
            return null_mut();
        }
        let head = s.free[k];
        if !head.is_null() && layout.align() <= 16 {
            s.free[k] = *(head as *mut *mut u8);
            return head;
        }
        let size = 1usize << k;
        let align = block_align(k, layout.align());
        let mut start = s.next.wrapping_add(align - 1) & !(align - 1);
        if start < s.next || start.checked_add(size).is_none_or(|e| e > s.end) {
            let pages = (size + align).div_ceil(PAGE);
            let prev = core::arch::wasm32::memory_grow(0, pages);
            if prev == usize::MAX {
                return null_mut();
            }
            if prev * PAGE != s.end {
                s.next = prev * PAGE;
            }
            // At 4 GiB the end is past usize: keep the last byte out rather than wrap.
            s.end = (prev + pages).saturating_mul(PAGE);
            start = (s.next + align - 1) & !(align - 1);
            if start.checked_add(size).is_none_or(|e| e > s.end) {
                return null_mut();
            }
        }
        s.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let s = &mut *self.0.get();
        let k = class(layout);
        *(ptr as *mut *mut u8) = s.free[k];
        s.free[k] = ptr;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(new_layout) == class(layout) {
            return ptr;
        }
        let new = self.alloc(new_layout);
        if !new.is_null() {
            std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}
