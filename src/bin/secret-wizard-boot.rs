//! The module index.html loads: sign-in only; it loads the full app (`src/main.rs`) once signed in.
fn main() {
    secret_wizard::start_boot();
}
