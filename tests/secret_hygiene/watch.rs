//! The watching allocator of the secret-hygiene tests: it looks at a registered buffer at
//! the moment it is freed and records whether it was wiped. To stay sound it reads only
//! buffers a test registered, and only their first `len` bytes, which the test itself wrote
//! (so they are initialised whether or not they were wiped).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering::SeqCst};

struct Slot {
    ptr: AtomicUsize,
    len: AtomicUsize,
    /// 0 pending, 1 wiped (all zero) when freed, 2 freed with data in it.
    state: AtomicU8,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot {
    ptr: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    state: AtomicU8::new(0),
};
static SLOTS: [Slot; 64] = [EMPTY; 64];
/// A used slot's `ptr` once its buffer was freed (no allocation is at address 1).
const FREED: usize = 1;

struct Watching;

// SAFETY: forwards every call to `System`; `dealloc` only reads `len` bytes of a live buffer
// that the test registered as written, before handing it back.
unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        for slot in &SLOTS {
            if slot.ptr.load(SeqCst) == ptr as usize && slot.state.load(SeqCst) == 0 {
                let len = slot.len.load(SeqCst).min(layout.size());
                let bytes = std::slice::from_raw_parts(ptr, len);
                let wiped = bytes.iter().all(|b| *b == 0);
                slot.state.store(if wiped { 1 } else { 2 }, SeqCst);
                // Never 0 again: a slot is used once, so a test running alongside can't claim it
                // and reset the state this one is about to read.
                slot.ptr.store(FREED, SeqCst);
            }
        }
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

/// A registered buffer: whether it was wiped when it was freed.
pub struct Watched(usize);

impl Watched {
    /// Registers the first `len` bytes at `ptr` (all written by the caller, all still live).
    pub fn new(ptr: *const u8, len: usize) -> Self {
        for (i, slot) in SLOTS.iter().enumerate() {
            if slot
                .ptr
                .compare_exchange(0, usize::MAX, SeqCst, SeqCst)
                .is_ok()
            {
                slot.len.store(len, SeqCst);
                slot.state.store(0, SeqCst);
                slot.ptr.store(ptr as usize, SeqCst);
                return Watched(i);
            }
        }
        panic!("no free watch slot");
    }

    pub fn of(s: &str) -> Self {
        Self::new(s.as_ptr(), s.len())
    }

    /// None while the buffer is alive; then whether it was wiped.
    pub fn wiped(&self) -> Option<bool> {
        match SLOTS[self.0].state.load(SeqCst) {
            0 => None,
            s => Some(s == 1),
        }
    }
}
