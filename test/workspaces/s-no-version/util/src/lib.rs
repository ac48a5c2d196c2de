pub fn word() -> &'static str {
    "versionless"
}
