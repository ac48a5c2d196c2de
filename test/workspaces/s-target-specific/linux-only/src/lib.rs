pub fn os() -> &'static str {
    "linux"
}
