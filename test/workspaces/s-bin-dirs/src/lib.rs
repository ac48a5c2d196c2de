pub fn render(n: u16) -> String {
    let mut buf = itoa::Buffer::new();
    buf.format(n).to_string()
}
