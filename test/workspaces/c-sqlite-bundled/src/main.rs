//! Uses SQLite, bundled (libsqlite3-sys compiles it).
fn main() {
    let db = rusqlite::Connection::open_in_memory().unwrap();
    let v: String = db.query_row("select sqlite_version()", [], |r| r.get(0)).unwrap();
    println!("c-sqlite-bundled sqlite {v}");
}
