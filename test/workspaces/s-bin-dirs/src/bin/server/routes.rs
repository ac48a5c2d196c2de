pub fn list() -> Vec<String> {
    vec![format!("/v{}", multi::render(1)), "/health".to_string()]
}
