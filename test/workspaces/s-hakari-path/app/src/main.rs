fn main() {
    let found = memchr::memchr(b':', b"hakari:unified").unwrap_or(0);
    println!("app: {} at {} ({})", shop_core::greeting(), found, env!("CARGO_PKG_DESCRIPTION"));
}
