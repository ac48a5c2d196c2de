//! Uses mimalloc as the global allocator (libmimalloc-sys compiles it with zig cc).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let v: Vec<u64> = (0..10_000).collect();
    println!("c-mimalloc sum={}", v.iter().sum::<u64>());
}
