/// Formats a number in hexadecimal: the member's own function, unrelated to the registry crate.
pub fn hex(n: u64) -> String {
    format!("{n:#x}")
}
