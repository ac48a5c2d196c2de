//! The binary: prints what the library member compresses.
fn main() {
    println!("app {}", core::describe(b"hello hello hello hello"));
}
