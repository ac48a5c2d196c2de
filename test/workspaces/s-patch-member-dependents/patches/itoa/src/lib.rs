//! Never compiled: synthesis refuses this shape (a registry crate, serde_json, depends on this patched member).
