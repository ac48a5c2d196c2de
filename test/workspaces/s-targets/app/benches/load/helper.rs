pub fn run() -> String {
    app::shown()
}
