pub const NAME: &str = "app-core";

branch::cfg_if! {
    if #[cfg(target_pointer_width = "64")] {
        pub fn answer() -> u64 { 42 }
    } else {
        pub fn answer() -> u64 { 0 }
    }
}
