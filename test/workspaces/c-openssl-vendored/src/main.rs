//! Uses OpenSSL, vendored (openssl-src builds it from source).
fn main() {
    let d = openssl::sha::sha256(b"abc");
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    println!("c-openssl-vendored {} sha256(abc)={hex}", openssl::version::version());
}
