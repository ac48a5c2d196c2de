cfg_if::cfg_if! {
    if #[cfg(test)] {
        #[test]
        fn answer() {
            assert_eq!(app::shown(), "42");
        }
    }
}
