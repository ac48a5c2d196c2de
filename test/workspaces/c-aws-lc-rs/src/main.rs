//! Uses aws-lc-rs (aws-lc-sys compiles AWS-LC).
fn main() {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, b"abc");
    let hex: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    println!("c-aws-lc-rs sha256(abc)={hex}");
}
