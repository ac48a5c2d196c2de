//! Uses zstd (zstd-sys compiles the bundled C library).
fn main() {
    let data = b"hello hello hello hello";
    let packed = zstd::encode_all(&data[..], 3).unwrap();
    let back = zstd::decode_all(&packed[..]).unwrap();
    assert_eq!(back, data);
    println!("c-zstd {} -> {} bytes", data.len(), packed.len());
}
