#[cfg(target_arch = "x86_64")]
fn arch() -> String {
    let mut buf = itoa::Buffer::new();
    format!("x86_64 (itoa {})", buf.format(64u8))
}

#[cfg(target_arch = "aarch64")]
fn arch() -> String {
    cfg_if::cfg_if! {
        if #[cfg(target_endian = "little")] {
            "aarch64 (cfg-if little-endian)".to_string()
        } else {
            "aarch64 (cfg-if big-endian)".to_string()
        }
    }
}

fn main() {
    println!("app: {} on {}", arch(), linux_only::os());
}
