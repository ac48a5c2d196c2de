//! The library member: compresses with zstd (C, compiled with zig cc).
pub fn describe(data: &[u8]) -> String {
    let packed = zstd::encode_all(data, 3).unwrap();
    format!("{} -> {} bytes", data.len(), packed.len())
}
