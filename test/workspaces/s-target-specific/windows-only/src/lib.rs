pub fn os() -> &'static str {
    "windows"
}
