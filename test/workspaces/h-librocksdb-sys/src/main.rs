//! Opens a RocksDB database (librocksdb-sys compiles RocksDB), writes and reads a key.
fn main() {
    let dir = std::env::temp_dir().join(format!("h-librocksdb-sys-{}", std::process::id()));
    {
        let db = rocksdb::DB::open_default(&dir).unwrap();
        db.put(b"dish", b"soup").unwrap();
        let value = db.get(b"dish").unwrap().unwrap();
        println!("h-librocksdb-sys rocksdb put/get dish={}", String::from_utf8(value).unwrap());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
