//! A tiny local replacement for the registry crate, with the API the app uses.

cfg_if::cfg_if! {
    if #[cfg(unix)] {
        pub const FORK: &str = "the patched itoa";
    } else {
        pub const FORK: &str = "the patched itoa (not unix)";
    }
}

pub struct Buffer(String);

impl Buffer {
    pub fn new() -> Self {
        Buffer(String::new())
    }

    pub fn format(&mut self, n: u32) -> &str {
        self.0 = n.to_string();
        &self.0
    }
}

impl Default for Buffer {
    fn default() -> Self {
        Self::new()
    }
}
