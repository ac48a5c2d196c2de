fn main() {
    cfg_if::cfg_if! {
        if #[cfg(unix)] { println!("tool (not in the image)"); } else { println!("tool"); }
    }
}
