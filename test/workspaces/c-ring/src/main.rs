//! Uses ring (C and assembly compiled with zig cc).
fn main() {
    let d = ring::digest::digest(&ring::digest::SHA256, b"abc");
    let hex: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    println!("c-ring sha256(abc)={hex}");
}
