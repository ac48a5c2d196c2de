//! Prints a greeting with the number of words in its arguments.

use smallvec::SmallVec;

fn main() {
    let args: SmallVec<[String; 4]> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version") {
        println!("hello-service {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    let text = args.join(" ");
    let spaces = memchr::memchr_iter(b' ', text.as_bytes()).count();
    let words = if text.is_empty() { 0 } else { spaces + 1 };
    let mut buf = itoa::Buffer::new();
    println!("hello from hello-service: {} word(s)", buf.format(words));
}
