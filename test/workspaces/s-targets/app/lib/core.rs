macros::make_answer!(41);

pub fn shown() -> String {
    let mut buf = itoa::Buffer::new();
    buf.format(answer()).to_string()
}
