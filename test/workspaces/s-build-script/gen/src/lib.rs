include!(concat!(env!("OUT_DIR"), "/generated.rs"));
