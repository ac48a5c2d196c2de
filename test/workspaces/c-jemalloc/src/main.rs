//! Uses jemalloc as the global allocator (tikv-jemalloc-sys runs configure and make).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
fn main() {
    let v: Vec<u64> = (0..10_000).collect();
    println!("c-jemalloc sum={}", v.iter().sum::<u64>());
}
