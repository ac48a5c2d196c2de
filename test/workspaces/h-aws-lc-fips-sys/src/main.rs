//! Hashes with the FIPS build of AWS-LC and asks whether FIPS mode is on.
fn main() {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, b"abc");
    let hex: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    let fips = aws_lc_rs::try_fips_mode().is_ok();
    println!("h-aws-lc-fips-sys sha256(abc)={} fips={fips}", &hex[..8]);
}
