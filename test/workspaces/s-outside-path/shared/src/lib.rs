cfg_if::cfg_if! {
    if #[cfg(unix)] {
        pub fn name() -> &'static str { "shared from outside the workspace" }
    } else {
        pub fn name() -> &'static str { "shared" }
    }
}
