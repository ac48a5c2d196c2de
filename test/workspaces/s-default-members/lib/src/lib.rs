pub fn describe(n: u32) -> String {
    let mut buf = itoa::Buffer::new();
    format!("{} items", buf.format(n))
}
