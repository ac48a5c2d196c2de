cfg_if::cfg_if! {
    if #[cfg(target_os = "linux")] {
        pub fn greeting() -> &'static str { "hello from shared" }
    } else {
        pub fn greeting() -> &'static str { "hello from elsewhere" }
    }
}
